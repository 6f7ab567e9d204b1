package readmodel

// The formulas in Chinese, for people who read them in an Excel 说明 sheet
// or a brief; the English constants (LevelFormula …) stay the reference
// the code follows, and these say the same with the default weights named.

// LevelFormulaZH explains how a node's level is set.
const LevelFormulaZH = "全部数据中都没有该环节的企业→无数据（不算缺口，不计入完整度）；本地没有存续企业→空白；" +
	"产业组的本地企业都只归到该组、未细分到下级环节→未细分；其余按综合评分：规模（区位商与按置信度加权的企业数，各占一半）×w_scale + " +
	"上下游配套（有本地企业的相邻环节占比）×w_linkage + 质量（有资质标签的企业占比）×w_quality，≥level_strong 为优势，≥level_potential 为潜力，否则薄弱。" +
	"环节的企业含其下级环节；仅知所在上级行政区的企业不计为本地（位置待核实）。"

// GapFormulaZH explains a gap's severity.
const GapFormulaZH = "严重度 = 等级（空白100、薄弱60）×gs_level + 下游依赖（本地下游环节的企业数，链主计5家）×gs_dependence + " +
	"对标（对标地区中该环节达到潜力或优势的占比）×gs_peers + 环节权重×gs_weight，0–100；只有末端环节算缺口，无数据的环节不算。"

// AnchorFormulaZH explains the anchor (链主) score and gate.
const AnchorFormulaZH = "评分 = 规模（营收，无营收时用注册资本，在本地本链企业中的百分位）×wa_scale + 覆盖环节数×wa_breadth + " +
	"上下游本地企业数×wa_linkage + 资质（单项冠军、小巨人、独角兽3分，上市、专精特新、瞪羚2分，高企1分）×wa_quality；" +
	"营收与注册资本都未知的企业规模记为未知，不计入并按其余权重折算，且不能通过门槛。门槛：规划列为支柱产业时营收≥gate_revenue_pillar，否则≥gate_revenue_emerging；无营收时注册资本百分位≥gate_percentile。"

// TargetFormulaZH explains the target (招商目标) score.
const TargetFormulaZH = "评分 = 缺口（所补缺口的严重度，每多补一个加5，最高100；只归到产业组的企业按group_fit折算）×wt_gap + " +
	"关联（与本地链主上下游或同集团100，与本地企业相邻60）×wt_affinity + 资质×wt_quality + 规模（注册资本或营收）×wt_scale + " +
	"同省×wt_proximity − 风险（非存续100，注册资本过小50）×wt_risk；规模未知时不计规模并按其余权重折算。" +
	"本地企业、地区未知或仅知所在上级行政区的企业（位置待核实）都不作为招商目标。"
