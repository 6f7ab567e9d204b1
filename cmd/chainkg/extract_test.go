package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

const cliPlan = `关于《烟台市“十四五”海洋经济发展规划》的解读
到2025年，全市海洋生产总值突破5000亿元，海洋新兴产业增加值占比达到30%以上。
重点培育海工装备、海洋生物医药、海水淡化等三大产业，依托烟台保税港区和中韩产业园。`

func TestExtractJSONLines(t *testing.T) {
	dir := t.TempDir()
	a := filepath.Join(dir, "a.txt")
	b := filepath.Join(dir, "b.txt")
	writeFile(t, a, cliPlan)
	writeFile(t, b, "加快建设强省会。到2025年，规模以上工业营业收入突破1万亿元。")
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"extract", a, b, "--format", "jsonl"}, &out, &errb); err != nil {
		t.Fatalf("extract: %v\n%s", err, errb.String())
	}
	var docs []extractedDoc
	sc := bufio.NewScanner(&out)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var d extractedDoc
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			t.Fatalf("a line is not one JSON object: %v\n%s", err, sc.Text())
		}
		docs = append(docs, d)
	}
	if len(docs) != 2 {
		t.Fatalf("%d documents printed, want 2", len(docs))
	}
	d := docs[0]
	if d.Document != "a.txt" || d.Title == nil || *d.Title != "烟台市“十四五”海洋经济发展规划" || d.Region == nil ||
		d.Region.Code != "370600" || d.Period == nil || *d.Period != "2021-2025" {
		t.Errorf("document a: %+v", d)
	}
	if len(d.Industries) != 3 || len(d.Parks) != 2 || len(d.Indicators) != 2 || len(d.CountedGroups) != 1 {
		t.Errorf("document a facts: %+v", d)
	}
	for _, in := range d.Industries {
		if in.Evidence.Text != in.Name || !strings.Contains(in.Evidence.Sentence, in.Name) {
			t.Errorf("evidence of %s: %+v", in.Name, in.Evidence)
		}
	}
	if docs[1].Region != nil || !strings.Contains(strings.Join(docs[1].Notes, " "), "--region") {
		t.Errorf("document b names no region: region %+v, notes %v", docs[1].Region, docs[1].Notes)
	}

	// --region places it; --format json prints an array.
	out.Reset()
	if err := run(context.Background(), []string{"extract", "--region", "370100", "--format", "json", b}, &out, &errb); err != nil {
		t.Fatal(err)
	}
	var arr []extractedDoc
	if err := json.Unmarshal(out.Bytes(), &arr); err != nil || len(arr) != 1 || arr[0].Region == nil || arr[0].Region.Code != "370100" || arr[0].Region.Method != "given" {
		t.Errorf("--region: %v %s", err, out.String())
	}
}

func TestExtractErrors(t *testing.T) {
	dir := t.TempDir()
	scan := filepath.Join(dir, "scan.pdf")
	writeFile(t, scan, "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n")
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"extract", scan}, &out, &errb)
	if err == nil || !strings.Contains(errb.String(), "scan.pdf") {
		t.Errorf("a broken PDF: err %v, stderr %q", err, errb.String())
	}
	for _, args := range [][]string{{"extract"}, {"extract", "--format", "xml", "a.txt"}, {"extract", "--region", "12", "a.txt"}} {
		if err := run(context.Background(), args, &out, &errb); !errors.Is(err, errUsage) {
			t.Errorf("run(%q) = %v, want a usage error", args, err)
		}
	}
}

func TestLoadPlanCommand(t *testing.T) {
	dir := t.TempDir()
	store := "bbolt:" + filepath.Join(dir, "kg.db")
	plan := filepath.Join(dir, "yantai.txt")
	writeFile(t, plan, cliPlan)
	ctx := context.Background()
	var out, errb bytes.Buffer
	if err := run(ctx, []string{"load", "plan", plan, "--store", store, "--region", "370600"}, &out, &errb); err != nil {
		t.Fatalf("load plan: %v\n%s", err, errb.String())
	}
	if !strings.Contains(out.String(), "plan/yantai.txt: loaded") || !strings.Contains(out.String(), "industry: 3") {
		t.Errorf("load report:\n%s", out.String())
	}
}

// TestSeedPlansScore runs the extraction on the five seed plans and scores
// it with the shared scorer: overall F1 at least 0.85, recall at least 0.8
// in every category with gold items. It needs ../shared and python3.
func TestSeedPlansScore(t *testing.T) {
	shared := filepath.Join("..", "..", "..", "shared")
	plans, _ := filepath.Glob(filepath.Join(shared, "plans", "*.txt"))
	scorer := filepath.Join(shared, "tools", "score_extraction.py")
	if len(plans) == 0 {
		t.Skipf("the seed plans are not at %s: the score needs the shared folder", shared)
	}
	if _, err := os.Stat(scorer); err != nil {
		t.Skipf("the scorer is not at %s", scorer)
	}
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not on PATH: the scorer is a Python script")
	}
	var out, errb bytes.Buffer
	if err := run(context.Background(), append([]string{"extract", "--format", "jsonl"}, plans...), &out, &errb); err != nil {
		t.Fatalf("extract: %v\n%s", err, errb.String())
	}
	jsonl := filepath.Join(t.TempDir(), "seed.jsonl")
	writeFile(t, jsonl, out.String())
	res, err := exec.Command(py, scorer, filepath.Join(shared, "gold"), jsonl).CombinedOutput()
	if err != nil {
		t.Fatalf("scorer: %v\n%s", err, res)
	}
	t.Logf("score:\n%s", res)
	line := regexp.MustCompile(`(?m)^(\S+)\s+precision ([0-9.]+) recall ([0-9.]+) F1 ([0-9.]+)\s+\((\d+) of (\d+) gold`)
	overall := regexp.MustCompile(`(?m)^overall precision ([0-9.]+) recall ([0-9.]+) F1 ([0-9.]+)`)
	for _, m := range line.FindAllStringSubmatch(string(res), -1) {
		recall, _ := strconv.ParseFloat(m[3], 64)
		if gold, _ := strconv.Atoi(m[6]); gold > 0 && recall < 0.8 {
			t.Errorf("%s: recall %.2f, want at least 0.8", m[1], recall)
		}
	}
	m := overall.FindStringSubmatch(string(res))
	if m == nil {
		t.Fatalf("no overall score in:\n%s", res)
	}
	if f1, _ := strconv.ParseFloat(m[3], 64); f1 < 0.85 {
		t.Errorf("overall F1 %.2f, want at least 0.85", f1)
	}
}
