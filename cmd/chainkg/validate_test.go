package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestValidateEmbeddedData(t *testing.T) {
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"validate"}, &out, &errb); err != nil {
		t.Fatalf("validate: %v\n%s%s", err, out.String(), errb.String())
	}
	if !strings.Contains(out.String(), "ok: 3348 regions, 1972 industry codes") {
		t.Errorf("output:\n%s", out.String())
	}
}

// brokenChain has one mistake of each kind validate must catch in a chain
// file, each on a known line.
const brokenChain = `[chain bad] 坏链
type:     updown
segments: up 上游, down 下游

[node a] 甲
segment: up

[node a/x] 甲一
codes:    9999
keywords: 甲一词
products: 甲一品
supplies: y

[node b] 乙
segment: down

[node b/y] 乙一
codes:    3841
products: 乙一品
supplies: x

[node c/z] 丙一
codes:    3841
keywords: 丙一词
products: 丙一品
`

// goodChain is a valid chain the crosswalk and parks may point at.
const goodChain = `[chain good] 好链
type:     serial
segments: one 第一段
note:     test

[node a] 甲
[node a/x] 甲一
codes:    3841 锂离子电池制造
keywords: 锂离子电池
products: 电芯
`

func TestValidateReportsEachMistakeWithFileAndLine(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"reference/regions.csv":         "code,name,level,parent_code\n370000,山东省,province,\n370600,烟台市,city,370000\n",
		"reference/gbt4754_2017.csv":    "code,name,level,parent_code,description\nC,制造业,section,,\n38,电气机械和器材制造业,division,C,\n384,电池制造,group,38,\n3841,锂离子电池制造,class,384,\n",
		"reference/gbt4754_special.csv": "gbt_code,gbt_name,tag,tag_name,partial_star,category_path\n",
		"chains/bad.chain":              brokenChain,
		"chains/good.chain":             goodChain,
		"chains/crosswalk.txt":          "# test\n好 | good | 1 |\n坏 | nochain | 1 |\n",
		"reference/parks.txt":           "[park p] 园区\nregion: 379999\nkind: 产业园\nchains: good\nsource: test\n",
		// The listed companies' industry crosswalks, with their 申万 tree
		// and firms: one row names a node the library lacks, one maps a
		// level-1 sector.
		"registry/sw2021_industry_tree.csv":    "from_code,from_industry,rel,to_industry,to_code\n630700,电池,上级行业,电力设备,630000\n630701,锂电池,上级行业,电池,630700\n",
		"registry/sw2021_company_industry.csv": "company_code,industry_code,industry_name,company_name,rel\n300750.SZ,630701,锂电池,宁德时代,所属行业\n",
		"registry/a_share_stock_basic.csv":     "ts_code,symbol,name,area,industry\n300750.SZ,300750,宁德时代,福建,电气设备\n",
		"chains/sw2021.txt":                    "# test\n锂电池 | good/x, good/cell | 0.8 |\n电力设备 | good/x | 0.5 |\n",
		"chains/tushare.txt":                   "电气设备 | - | 0.5 |\n",
	}
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, p, text)
	}
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"validate", "--data", dir}, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "validation failed: 9 problems") {
		t.Fatalf("err = %v\n%s", err, out.String())
	}
	for _, want := range []string{
		"chains/bad.chain:9: codes: 9999 is not a GB/T 4754-2017 小类",             // a code not in GB/T 4754
		"chains/bad.chain:17: keywords: leaf \"y\" has no keywords",              // an empty keyword set
		"chains/bad.chain:20: supplies: supply edges form a cycle: x → y → x",    // a supply cycle
		"chains/bad.chain:22: path: parent \"c\" is not defined above this node", // not a tree
		"chains/crosswalk.txt:3: chains: no chain nochain in the library",        // a crosswalk target that does not exist
		"reference/parks.txt:2: region: no region 379999 in the division table",  // a park whose region does not exist
		"chains/sw2021.txt:2: nodes: no node good/cell in the chain library",     // an industry mapped to a node that does not exist
		"chains/sw2021.txt:3: industry: \"电力设备\" is a 申万 level-1 sector",         // a sector too broad to map
		"申万 industry 锂电池 has firms but no row",                                   // an industry left without a row
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("validate output lacks %q:\n%s", want, out.String())
		}
	}
	if err := run(context.Background(), []string{"validate", "--data", filepath.Join(dir, "nope")}, &out, &errb); err == nil {
		t.Error("validate accepted a missing directory")
	}
}

// TestChainLibraryDocIsCurrent holds docs/chain-library.md to the library:
// it fails when a chain file changed and the document was not written again.
func TestChainLibraryDocIsCurrent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "chain-library.md")
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"validate", "--doc", path}, &out, &errb); err != nil {
		t.Fatalf("validate --doc: %v\n%s%s", err, out.String(), errb.String())
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("..", "..", "docs", "chain-library.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("docs/chain-library.md is not what the library says: run %s", chainLibraryDocCommand)
	}
}

// TestValidateDocOfSmallLibrary checks what the document says of a library
// small enough to count by hand, and that a library with a mistake writes
// no document.
func TestValidateDocOfSmallLibrary(t *testing.T) {
	// good: 甲 ─ 甲一 (a leaf, supplies 乙一); 乙 ─ 乙一 (a leaf).
	const twoLeaves = `[chain good] 好链
aliases:  好链产业
type:     updown
segments: up 上游, down 下游
description: 上游为甲，
  下游为乙。
note:     test

[node a] 甲
segment: up
[node a/x] 甲一
codes:    3841 锂离子电池制造
keywords: 锂离子电池
products: 电芯
supplies: y

[node b] 乙
segment: down
[node b/y] 乙一
codes:    3841
keywords: 电池回收
products: 再生料
`
	dir := t.TempDir()
	files := map[string]string{
		"reference/regions.csv":                "code,name,level,parent_code\n370000,山东省,province,\n370600,烟台市,city,370000\n",
		"reference/gbt4754_2017.csv":           "code,name,level,parent_code,description\nC,制造业,section,,\n38,电气机械和器材制造业,division,C,\n384,电池制造,group,38,\n3841,锂离子电池制造,class,384,\n",
		"reference/gbt4754_special.csv":        "gbt_code,gbt_name,tag,tag_name,partial_star,category_path\n",
		"chains/good.chain":                    twoLeaves,
		"chains/crosswalk.txt":                 "# test\n好 | good | 1 |\n",
		"reference/parks.txt":                  "[park p] 园区\nregion: 370600\nkind: 产业园\nchains: good\nsource: test\n",
		"registry/sw2021_industry_tree.csv":    "from_code,from_industry,rel,to_industry,to_code\n630700,电池,上级行业,电力设备,630000\n630701,锂电池,上级行业,电池,630700\n",
		"registry/sw2021_company_industry.csv": "company_code,industry_code,industry_name,company_name,rel\n300750.SZ,630701,锂电池,宁德时代,所属行业\n",
		"registry/a_share_stock_basic.csv":     "ts_code,symbol,name,area,industry\n300750.SZ,300750,宁德时代,福建,电气设备\n",
		"chains/sw2021.txt":                    "# test\n锂电池 | good/x | 0.8 |\n",
		"chains/tushare.txt":                   "电气设备 | - | 0.5 |\n",
	}
	for name, text := range files {
		writeFileAll(t, filepath.Join(dir, name), text)
	}
	doc := filepath.Join(dir, "library.md")
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"validate", "--data", dir, "--doc", doc}, &out, &errb); err != nil {
		t.Fatalf("validate: %v\n%s%s", err, out.String(), errb.String())
	}
	b, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	got := string(b)
	for _, want := range []string{
		"1 chains, 4 nodes (2 leaves), 1 supply edges (0 of them into another chain); 1 crosswalk rows map plan wording to chains, 1 parks.",
		"| [`good`](#good) | 好链 | updown: 上游 / 下游 | 4 | 2 | 1 | `chains/good.chain` |",
		"**好链** (`chains/good.chain`, updown: 上游 / 下游); also 好链产业.",
		"\n上游为甲，下游为乙。\n", // a continued value is one paragraph, without a space inside Chinese text
		"\nBasis: test\n",
		"### 上游\n\n- 甲 `good/a`\n  - 甲一 `good/x`: 3841 锂离子电池制造; supplies 乙一\n",
		"### 下游\n\n- 乙 `good/b`\n  - 乙一 `good/y`: 3841 锂离子电池制造\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("document lacks %q:\n%s", want, got)
		}
	}

	// A mistake fails the check and leaves no document behind.
	writeFile(t, filepath.Join(dir, "chains/good.chain"), strings.Replace(twoLeaves, "codes:    3841\n", "codes:    9999\n", 1))
	bad := filepath.Join(dir, "bad.md")
	if err := run(context.Background(), []string{"validate", "--data", dir, "--doc", bad}, &out, &errb); err == nil {
		t.Fatal("validate passed a library with an unknown code")
	}
	if _, err := os.Stat(bad); !os.IsNotExist(err) {
		t.Errorf("validate wrote %s for a library that failed: %v", bad, err)
	}
}
