package loaders

import (
	"bufio"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/chainkg/chainkg/graph"
)

// field is a registry column the loader understands. Its name is what a
// mapping file uses.
type field string

// Registry fields.
const (
	fNone        field = ""
	fName        field = "name"         // 企业名称
	fShortName   field = "short_name"   // 简称 (tushare's name when a full name column exists)
	fCreditCode  field = "credit_code"  // 统一社会信用代码
	fRegNo       field = "reg_no"       // 工商注册号 / 组织机构代码: a stable key when the credit code is missing
	fKey         field = "key"          // the registry's own row key
	fStatus      field = "status"       // 登记状态 / 经营状态
	fLegalRep    field = "legal_rep"    // 法定代表人
	fCapital     field = "capital"      // 注册资本
	fPaidIn      field = "paid_in"      // 实缴资本
	fFounded     field = "founded"      // 成立日期
	fProvince    field = "province"     // 所属省份
	fCity        field = "city"         // 所属城市
	fCounty      field = "county"       // 所属区县
	fArea        field = "area"         // a region name of any level (tushare area: 山东, 深圳)
	fRegionCode  field = "region_code"  // 行政区划代码
	fFirmType    field = "firm_type"    // 企业类型
	fIndSection  field = "ind_section"  // 国标行业门类
	fIndDivision field = "ind_division" // 国标行业大类
	fIndGroup    field = "ind_group"    // 国标行业中类
	fIndClass    field = "ind_class"    // 国标行业小类
	fIndustry    field = "industry"     // 所属行业: a GB/T 4754 code or name, of any level
	fIndLabel    field = "industry_label"
	fEmployees   field = "employees" // 参保人数
	fRevenue     field = "revenue"   // 营业收入
	fAddress     field = "address"   // 注册地址
	fScope       field = "scope"     // 经营范围
	fProducts    field = "products"  // 主营产品
	fFormerNames field = "former_names"
	fEnglish     field = "english_name"
	fStock       field = "stock_code"  // 股票代码
	fTags        field = "tags"        // 标签 / 企业资质
	fNode        field = "node"        // an explicit chain node id
	fGroup       field = "group"       // 所属集团
	fController  field = "controller"  // 实际控制人
	fListedDate  field = "listed_date" // 上市日期
	fSynthetic   field = "synthetic"   // true for generated benchmark firms
	// fCreditOrRegNo is the credit system's 注册号/统一社会信用代码 column:
	// an 18-character credit code, or an old 15-digit 注册号 kept as such.
	fCreditOrRegNo field = "credit_or_reg_no"
	fTerm          field = "term"       // 营业期限: "1997-01-28 至 无固定期限"
	fDateAttr      field = "date"       // another date kept as an attribute (核准日期, 营业期限自)
	fPhones        field = "phones"     // 有效手机号, 更多电话: a list
	fQueryName     field = "query_name" // 原文件导入名称: the name a batch query looked up
)

// knownFields lists every field a mapping file may name.
var knownFields = []field{fName, fShortName, fCreditCode, fRegNo, fKey, fStatus, fLegalRep, fCapital,
	fPaidIn, fFounded, fProvince, fCity, fCounty, fArea, fRegionCode, fFirmType, fIndSection,
	fIndDivision, fIndGroup, fIndClass, fIndustry, fIndLabel, fEmployees, fRevenue, fAddress,
	fScope, fProducts, fFormerNames, fEnglish, fStock, fTags, fNode, fGroup, fController, fListedDate, fSynthetic,
	fCreditOrRegNo, fTerm, fDateAttr, fPhones, fQueryName}

// headerAliases maps the column headers of the common exports (企查查,
// 天眼查, 启信宝, 国家企业信用信息公示系统, tushare) to fields. Headers are
// compared after normalizeHeader.
var headerAliases = map[string]field{
	"企业名称": fName, "公司名称": fName, "名称": fName, "企业全称": fName, "公司全称": fName, "单位名称": fName,
	"市场主体名称": fName, "企业(机构)名称": fName, "name": fName, "fullname": fName, "fullname_ckg2021": fName,
	"company_name": fName, "企业名": fName,
	"简称": fShortName, "企业简称": fShortName, "公司简称": fShortName, "股票简称": fShortName, "证券简称": fShortName,
	"short_name": fShortName,
	"统一社会信用代码":   fCreditCode, "社会信用代码": fCreditCode, "信用代码": fCreditCode, "统一信用代码": fCreditCode,
	"credit_code": fCreditCode, "uscc": fCreditCode,
	"注册号": fRegNo, "工商注册号": fRegNo, "组织机构代码": fRegNo, "reg_no": fRegNo,
	"id": fKey, "序号": fKey, "序号id": fKey, "企业id": fKey, "key": fKey,
	"登记状态": fStatus, "经营状态": fStatus, "企业状态": fStatus, "状态": fStatus, "存续状态": fStatus, "status": fStatus,
	"法定代表人": fLegalRep, "法人代表": fLegalRep, "法人": fLegalRep, "负责人": fLegalRep, "legal_rep": fLegalRep,
	"注册资本": fCapital, "注册资金": fCapital, "capital": fCapital,
	"实缴资本": fPaidIn, "实收资本": fPaidIn, "paid_in": fPaidIn,
	"成立日期": fFounded, "成立时间": fFounded, "注册日期": fFounded, "成立年份": fFounded, "founded": fFounded,
	"所属省份": fProvince, "省份": fProvince, "省": fProvince, "所在省份": fProvince, "注册省份": fProvince,
	"province": fProvince, "province_name": fProvince,
	"所属城市": fCity, "城市": fCity, "市": fCity, "所在城市": fCity, "地市": fCity, "city": fCity, "city_name": fCity,
	"所属区县": fCounty, "区县": fCounty, "所在区县": fCounty, "县区": fCounty, "区/县": fCounty, "county": fCounty,
	"area": fArea, "地区": fArea, "所属地区": fArea,
	"行政区划代码": fRegionCode, "区划代码": fRegionCode, "region_code": fRegionCode,
	"province_code": fRegionCode, "city_code": fRegionCode, "county_code": fRegionCode,
	"企业类型": fFirmType, "公司类型": fFirmType, "企业(机构)类型": fFirmType, "类型": fFirmType, "firm_type": fFirmType,
	"国标行业门类": fIndSection, "行业门类": fIndSection, "所属行业门类": fIndSection,
	"国标行业大类": fIndDivision, "行业大类": fIndDivision, "所属行业大类": fIndDivision,
	"国标行业中类": fIndGroup, "行业中类": fIndGroup, "所属行业中类": fIndGroup,
	"国标行业小类": fIndClass, "行业小类": fIndClass, "所属行业小类": fIndClass,
	"所属行业": fIndustry, "国标行业": fIndustry, "行业": fIndustry, "行业代码": fIndustry, "国民经济行业": fIndustry,
	"行业分类": fIndustry, "industry_code": fIndustry,
	"industry": fIndLabel, "申万行业": fIndLabel, "所属申万行业": fIndLabel, "证监会行业": fIndLabel, "企查查行业": fIndLabel,
	"参保人数": fEmployees, "员工人数": fEmployees, "人员规模": fEmployees, "从业人数": fEmployees, "职工人数": fEmployees,
	"employees": fEmployees,
	"营业收入":      fRevenue, "营收": fRevenue, "营业总收入": fRevenue, "年营业额": fRevenue, "revenue": fRevenue,
	"注册地址": fAddress, "地址": fAddress, "企业地址": fAddress, "住所": fAddress, "通信地址": fAddress,
	"办公地址": fAddress, "企业注册地址": fAddress, "address": fAddress,
	"经营范围": fScope, "scope": fScope,
	"主营产品": fProducts, "产品": fProducts, "主要产品": fProducts, "主营业务": fProducts, "products": fProducts,
	"曾用名": fFormerNames, "former_names": fFormerNames,
	"英文名": fEnglish, "英文名称": fEnglish, "english_name": fEnglish,
	"股票代码": fStock, "证券代码": fStock, "stock_code": fStock, "ts_code": fStock,
	"标签": fTags, "企业标签": fTags, "企业资质": fTags, "资质": fTags, "荣誉": fTags, "tags": fTags,
	"产业链环节": fNode, "链环节": fNode, "环节": fNode, "node": fNode,
	"所属集团": fGroup, "集团": fGroup, "group": fGroup,
	"实际控制人": fController, "act_name": fController,
	"synthetic": fSynthetic, "合成数据": fSynthetic,
	"上市日期": fListedDate, "上市时间": fListedDate, "list_date": fListedDate,
	"系统匹配企业名称": fName, "匹配企业名称": fName, "原文件导入名称": fQueryName, "导入名称": fQueryName,
	"注册金额":         fCapital,
	"注册号/统一社会信用代码": fCreditOrRegNo, "统一社会信用代码/注册号": fCreditOrRegNo,
	"营业期限": fTerm, "经营期限": fTerm,
	"营业期限自": fDateAttr, "营业期限至": fDateAttr, "核准日期": fDateAttr, "发照日期": fDateAttr,
	"有效手机号": fPhones, "更多电话": fPhones, "电话": fPhones, "联系电话": fPhones, "手机": fPhones,
	"联系方式": fPhones, "企业电话": fPhones,
	"企查查行业门类": fIndLabel, "企查查行业大类": fIndLabel, "企查查行业中类": fIndLabel, "企查查行业小类": fIndLabel,
}

// attrHeaders are columns the common exports have that the model keeps as
// attributes on purpose; an upload is told only about columns outside
// these and the aliases, which may hold a field under a name the loader
// does not know.
var attrHeaders = map[string]bool{
	"邮箱": true, "更多邮箱": true, "电子邮箱": true, "官网网址": true, "官网": true, "网址": true, "纳税人识别号": true,
	"参保人数所属年报": true, "企业规模": true, "登记机关": true, "企业简介": true, "通信地址": true, "英文名": true,
	"所属年报": true, "纳税人资质": true, "进出口企业代码": true, "最新年报地址": true, "联系人": true,
	"币种": true, "注册资本币种": true, "人员规模": true, "融资轮次": true, "是否小微企业": true,
}

// normalizeHeader folds a header for lookup: full-width to half-width,
// lower case, units in brackets and spaces removed ("注册资本（万元）" →
// "注册资本").
func normalizeHeader(h string) string {
	h = strings.ToLower(graph.FoldWidth(strings.TrimSpace(h)))
	for _, br := range [][2]string{{"(", ")"}, {"[", "]"}} {
		if i := strings.Index(h, br[0]); i > 0 {
			if j := strings.Index(h[i:], br[1]); j > 0 && i+j == len(h)-1 {
				inner := h[i+1 : i+j]
				if strings.Contains(inner, "元") || strings.Contains(inner, "人") || strings.Contains(inner, "币") {
					h = h[:i]
				}
			}
		}
	}
	return strings.Join(strings.Fields(h), "")
}

// capitalUnitOf reads the unit and currency a header gives its numbers
// in: "注册资本(元)" is in yuan, "(亿元)" in 亿元, "注册资本（万美元）" in 万 of
// USD; "" when the header names none (万 and yuan assumed).
func capitalUnitOf(h string) (unit, cur string) {
	h = graph.FoldWidth(h)
	i := strings.LastIndexByte(h, '(')
	j := strings.LastIndexByte(h, ')')
	if i < 0 || j < i {
		return "", ""
	}
	in := strings.TrimSpace(h[i+1 : j])
	for _, c := range currencies {
		if strings.Contains(in, c.word) {
			cur = c.code
			in = strings.Replace(in, c.word, "", 1)
			break
		}
	}
	switch strings.TrimSuffix(in, "元") {
	case "亿":
		return "亿", cur
	case "万":
		return "万", cur
	case "":
		if strings.HasSuffix(in, "元") || cur != "" {
			if in == "元" {
				return "元", cur
			}
			return "", cur
		}
	}
	return "", ""
}

// column is a header cell resolved to a field; fNone keeps it as an attribute.
type column struct {
	header string
	field  field
	unit   string // capital unit from the header: 元, 万, 亿 or ""
	cur    string // currency from the header ("" for yuan or none)
	year   bool   // the header holds years (成立年份)
	known  bool   // an alias, a mapping or a known attribute column
	rule   *fieldRule
}

// columnMap resolves a header to fields, with an explicit mapping taking
// precedence over the built-in aliases. When a table has both a full-name
// column and a "name" column (tushare's name is the 简称), "name" is the
// short name.
type columnMap struct {
	cols    []column
	mapping map[string]field
}

func newColumnMap(mapping map[string]field) *columnMap {
	return &columnMap{mapping: mapping}
}

// resolve maps any header cells not seen yet (JSON Lines headers grow).
func (m *columnMap) resolve(header []string) {
	if len(m.cols) == len(header) {
		return
	}
	hasFull := false
	for _, h := range header {
		if n := normalizeHeader(h); n == "fullname" || n == "fullname_ckg2021" || n == "企业全称" || n == "公司全称" {
			hasFull = true
		}
	}
	taken := map[field]bool{}
	for _, c := range m.cols {
		taken[c.field] = true
	}
	for i := len(m.cols); i < len(header); i++ {
		h := header[i]
		f, ok := m.mapping[h]
		if !ok {
			f, ok = m.mapping[normalizeHeader(h)]
		}
		if !ok {
			f = headerAliases[normalizeHeader(h)]
			if normalizeHeader(h) == "name" && hasFull {
				f = fShortName
			}
			// A second column for a single-valued field (two address columns,
			// say) is kept as an attribute, except region codes and tags,
			// which combine.
			if f != fNone && taken[f] && f != fRegionCode && f != fTags && f != fFormerNames && f != fNode && f != fIndLabel {
				f = fNone
			}
		}
		taken[f] = true
		_, mapped := m.mapping[h]
		n := normalizeHeader(h)
		_, alias := headerAliases[n]
		c := column{header: h, field: f, year: strings.Contains(h, "年份"),
			known: mapped || alias || attrHeaders[n] || h == ""}
		c.unit, c.cur = capitalUnitOf(h)
		c.rule = ruleFor(f)
		m.cols = append(m.cols, c)
	}
}

// score rates a row as a header: how many distinct known columns (fields
// and known attribute columns) its cells name.
func (m *columnMap) score(row []string) int {
	seen := map[string]bool{}
	for _, h := range row {
		n := normalizeHeader(h)
		if n == "" || seen[n] {
			continue
		}
		_, mapped := m.mapping[h]
		if _, ok := m.mapping[n]; ok {
			mapped = true
		}
		if _, ok := headerAliases[n]; ok || mapped || attrHeaders[n] {
			seen[n] = true
		}
	}
	return len(seen)
}

// unmapped lists the header cells that name neither a field nor a known
// attribute column.
func (m *columnMap) unmapped() []string {
	var out []string
	for _, c := range m.cols {
		if !c.known {
			out = append(out, c.header)
		}
	}
	return out
}

// has reports whether some column maps to f.
func (m *columnMap) has(f field) bool {
	return slices.ContainsFunc(m.cols, func(c column) bool { return c.field == f })
}

// ReadColumnMapping reads a mapping file: one "header,field" pair a line
// (CSV; '#' starts a comment), field being one of the registry fields
// (name, credit_code, capital …) or "attr" to keep the column as an
// attribute. It lets a user load an export whose headers the loader does
// not know.
func ReadColumnMapping(r io.Reader, file string) (map[string]string, error) {
	out := map[string]string{}
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		s := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		h, f, ok := strings.Cut(s, ",")
		if !ok {
			h, f, ok = strings.Cut(s, "\t")
		}
		h, f = strings.TrimSpace(h), strings.TrimSpace(f)
		if !ok || h == "" || f == "" {
			return nil, &ParseError{File: file, Line: line, Err: fmt.Errorf("%w: want \"header,field\"", ErrRejected)}
		}
		if f != "attr" && !slices.Contains(knownFields, field(f)) {
			return nil, &ParseError{File: file, Line: line, Column: "field", Err: fmt.Errorf("%w: unknown field %q", ErrRejected, f)}
		}
		out[h] = f
	}
	return out, sc.Err()
}

// fieldMapping turns a user mapping into fields ("attr" → fNone).
func fieldMapping(m map[string]string) (map[string]field, error) {
	out := make(map[string]field, len(m))
	for h, f := range m {
		if f == "attr" {
			out[h] = fNone
			continue
		}
		if !slices.Contains(knownFields, field(f)) {
			return nil, fmt.Errorf("%w: mapping for %q: unknown field %q", ErrRejected, h, f)
		}
		out[h] = field(f)
	}
	return out, nil
}
