package main

import (
	"slices"
	"testing"
)

func TestInheritSupplies(t *testing.T) {
	// 0 材料 ──supplies──► 3 电池
	// ├── 1 正极              └── 4 电芯
	// └── 2 负极 ──supplies──► 5 整车
	parent := []int32{-1, 0, 0, -1, 3, -1}
	direct := [][]int32{{3}, nil, {5}, nil, nil, nil}
	succ, pred := inheritSupplies(direct, parent)
	wantSucc := [][]int32{{3}, {3}, {3, 5}, nil, nil, nil}
	wantPred := [][]int32{nil, nil, nil, {0, 1, 2}, {0, 1, 2}, {2}}
	for i := range parent {
		if !slices.Equal(succ[i], wantSucc[i]) {
			t.Errorf("succ[%d] = %v, want %v", i, succ[i], wantSucc[i])
		}
		if !slices.Equal(pred[i], wantPred[i]) {
			t.Errorf("pred[%d] = %v, want %v", i, pred[i], wantPred[i])
		}
	}
}

func TestNormName(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"宁德时代（福建）", "宁德时代福建"},
		{"ＡＢＣ Ｃｏ., Ltd.", "abccoltd"},
		{"万华·化学 集团", "万华化学集团"},
	} {
		if got := normName(c.in); got != c.want {
			t.Errorf("normName(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
