package export

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/chainkg/chainkg/graph"
	"github.com/chainkg/chainkg/graph/readmodel"
)

// LeadFieldName names a field of a lead's history in Chinese.
func LeadFieldName(field string) string {
	switch field {
	case graph.LeadFieldFirm:
		return "企业"
	case graph.LeadFieldRegion:
		return "目标地区"
	case graph.LeadFieldChain:
		return "产业链"
	case graph.LeadFieldNode:
		return "环节"
	case graph.LeadFieldPark:
		return "园区"
	case graph.LeadFieldOwner:
		return "负责人"
	case graph.LeadFieldStatus:
		return "状态"
	case graph.LeadFieldDate:
		return "状态日期"
	case graph.LeadFieldNext:
		return "下次跟进"
	}
	return field
}

// WriteLeadsXLSX writes leads as a workbook with Chinese headers, in the
// house style of the chain-map workbook: the leads (one row each), their
// history (one row per change), the funnel, and a sheet saying what the
// columns mean. title names the selection (地区, 产业链, 状态 …).
func WriteLeadsXLSX(w io.Writer, title string, leads []readmodel.LeadView, funnel *readmodel.Funnel) error {
	leadRows, histRows := leadSheetRows(leads)
	sheets := []xsheet{
		{name: "招商线索", table: "Leads", cols: []xcol{{"编号", 8, xInt}, {"企业", 28, xWrap}, {"统一社会信用代码", 22, xText},
			{"目标地区", 12, xText}, {"产业链", 14, xText}, {"环节", 14, xText}, {"园区", 20, xWrap}, {"负责人", 10, xText},
			{"状态", 10, xText}, {"状态日期", 12, xText}, {"下次跟进", 12, xText}, {"创建人", 14, xText}, {"创建时间", 17, xText},
			{"备注", 30, xWrap}}, rows: leadRows},
		{name: "跟进记录", table: "LeadHistory", cols: []xcol{{"线索编号", 10, xInt}, {"企业", 28, xWrap}, {"时间", 17, xText},
			{"操作人", 14, xText}, {"变更", 40, xWrap}, {"备注", 40, xWrap}}, rows: histRows},
	}
	if funnel != nil {
		sheets = append(sheets, funnelSheet(funnel))
	}
	sheets = append(sheets, leadNotesSheet(title, len(leads)))
	for _, sh := range sheets {
		if len(sh.rows) > maxSheetRows {
			return fmt.Errorf("%w: sheet %s would have %d rows, more than Excel holds (%d)", graph.ErrInvalid, sh.name, len(sh.rows), maxSheetRows)
		}
	}
	return writeWorkbook(w, &excelize.DocProperties{Creator: "chainkg", Title: "招商线索", Description: title, Language: "zh-CN"}, sheets)
}

// leadSheetRows gives a row per lead and a row per change of its history.
func leadSheetRows(leads []readmodel.LeadView) (leadRows, histRows [][]any) {
	leadRows = make([][]any, 0, len(leads))
	for _, l := range leads {
		credit := ""
		if c, ok := l.Firm.CreditCode(); ok {
			credit = string(c)
		}
		firm := l.FirmName
		if firm == "" {
			firm = "（数据中已无此企业）"
		}
		leadRows = append(leadRows, []any{l.ID.Num(), firm, credit, l.RegionName, l.ChainName, l.NodeName, l.ParkName,
			l.Owner, string(l.Status), l.StatusDate, l.Next, l.CreatedBy, l.CreatedAt.In(cst).Format("2006-01-02 15:04"), l.Note})
		for _, ev := range l.History {
			histRows = append(histRows, []any{l.ID.Num(), firm, ev.At.In(cst).Format("2006-01-02 15:04"), ev.By, leadChanges(ev.Changes), ev.Note})
		}
	}
	return leadRows, histRows
}

// leadChanges writes the changes of one history event, leaving out the
// firm, region and chain, which the lead's row names.
func leadChanges(changes []graph.LeadChange) string {
	var parts []string
	for _, c := range changes {
		from, to := c.From, c.To
		switch c.Field {
		case graph.LeadFieldFirm, graph.LeadFieldRegion, graph.LeadFieldChain:
			continue // the lead's row names them
		}
		if from == "" {
			parts = append(parts, fmt.Sprintf("%s：%s", LeadFieldName(c.Field), to))
		} else {
			parts = append(parts, fmt.Sprintf("%s：%s → %s", LeadFieldName(c.Field), from, orNone(to)))
		}
	}
	return strings.Join(parts, "；")
}

// funnelSheet is 漏斗: one row per status with its counts and days, then
// the dropped leads.
func funnelSheet(funnel *readmodel.Funnel) xsheet {
	var rows [][]any
	for _, st := range funnel.Steps {
		row := []any{string(st.Status), st.Now, st.Reached, st.Days.N, nil, nil, nil}
		if st.Days.N > 0 {
			row[4], row[5], row[6] = st.Days.Mean, st.Days.Median, st.Days.Max
		}
		rows = append(rows, row)
	}
	rows = append(rows, []any{string(graph.LeadDropped), funnel.Dropped, nil, nil, nil, nil, nil})
	return xsheet{name: "漏斗", table: "LeadFunnel", cols: []xcol{{"状态", 10, xText}, {"当前", 8, xInt},
		{"累计到达", 10, xInt}, {"耗时样本数", 12, xInt}, {"平均天数", 10, xNum}, {"中位天数", 10, xNum}, {"最长天数", 10, xInt}}, rows: rows}
}

// leadNotesSheet is 说明: what the selection is and what the columns mean.
func leadNotesSheet(title string, leads int) xsheet {
	notes := [][]any{
		{"内容", title},
		{"导出时间", time.Now().In(cst).Format("2006-01-02 15:04")},
		{"线索数", leads},
		{"状态", "待接触 → 已接触 → 已拜访 → 洽谈中 → 已签约 → 已落地；任一未落地状态可转为已放弃，已放弃可重新启动。"},
		{"状态日期", "线索进入当前状态的日期（按北京时间）。"},
		{"统一社会信用代码", "仅在企业有统一社会信用代码时填写；无代码的企业留空。"},
		{"累计到达", "到达该状态或其后状态的线索数；跳过的步骤视为已经过。已放弃的线索计到其最远到达的状态。"},
		{"耗时", "从上一状态到该状态的天数，只统计两个状态都有日期的线索；跳过步骤的线索不计入样本。"},
		{"落地计入图谱", readmodel.LandedNote},
	}
	return xsheet{name: "说明", cols: []xcol{{"项目", 16, xText}, {"说明", 90, xWrap}}, rows: notes}
}

// cst is the time zone the teams read times in.
var cst = time.FixedZone("CST", 8*3600)

func orNone(s string) string {
	if s == "" {
		return "（空）"
	}
	return s
}
