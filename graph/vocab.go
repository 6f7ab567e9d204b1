package graph

import "github.com/cayleygraph/quad"

// This file owns every IRI of the chainkg model. No other file writes an IRI
// literal: code that needs a class or predicate uses the constants below, and
// code that needs an entity IRI asks the entity's typed ID for it.

const (
	// NS is the namespace of chainkg's classes and predicates.
	NS = "https://chainkg.org/ns#"
	// IDBase is the prefix of every entity IRI chainkg mints.
	IDBase = "https://chainkg.org/id/"
	// rdfType is rdf:type.
	rdfType = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
	// rdfsLabel is rdfs:label, the display name of any entity.
	rdfsLabel = "http://www.w3.org/2000/01/rdf-schema#label"
)

// Classes. Every entity carries exactly one rdf:type from this list.
const (
	// ClassRegion is an administrative division (行政区划), GB/T 2260 coded.
	ClassRegion = quad.IRI(NS + "Region")
	// ClassIndustryCode is a class of GB/T 4754-2017 (国民经济行业分类): 门类, 大类, 中类 or 小类.
	ClassIndustryCode = quad.IRI(NS + "IndustryCode")
	// ClassPlan is a plan document (规划, 行动计划, 工作方案, 解读).
	ClassPlan = quad.IRI(NS + "Plan")
	// ClassIndustry is an industry as a plan designates it (主导产业, 重点产业 …), with a role.
	ClassIndustry = quad.IRI(NS + "Industry")
	// ClassCluster is an industry cluster (产业集群) named by a plan, with a level.
	ClassCluster = quad.IRI(NS + "Cluster")
	// ClassChain is an industrial chain (产业链) of the chain library.
	ClassChain = quad.IRI(NS + "Chain")
	// ClassChainNode is a link (环节) of a chain, in a tree, with supply edges.
	ClassChainNode = quad.IRI(NS + "ChainNode")
	// ClassFirm is an enterprise (企业), keyed by its 统一社会信用代码 or a surrogate.
	ClassFirm = quad.IRI(NS + "Firm")
	// ClassPark is a park or zone (园区, 开发区, 高新区, 自贸片区 …).
	ClassPark = quad.IRI(NS + "Park")
	// ClassIndicator is a numeric indicator or target (指标) stated by a plan.
	ClassIndicator = quad.IRI(NS + "Indicator")
	// ClassSource is a loaded source: one plan, one registry file, the chain library, one reference table.
	ClassSource = quad.IRI(NS + "Source")
	// ClassEvidence is the text a fact was read from: a document, a span, a sentence.
	ClassEvidence = quad.IRI(NS + "Evidence")
	// ClassMention is a firm or park named in a plan, resolved to an entity or left unresolved.
	ClassMention = quad.IRI(NS + "Mention")
	// ClassCrosswalk is a row mapping a plan's wording of an industry to chains.
	ClassCrosswalk = quad.IRI(NS + "Crosswalk")
	// ClassCountedGroup is a group a plan counts ("八大产业", "21个产业链群"): the number stated and the items listed.
	ClassCountedGroup = quad.IRI(NS + "CountedGroup")
	// ClassConflict is two statements of a plan that disagree (a group counted as 7 and as 9).
	ClassConflict = quad.IRI(NS + "Conflict")
)

// Predicates shared by several classes.
const (
	// PredType is rdf:type: entity → class.
	PredType = quad.IRI(rdfType)
	// PredName is rdfs:label: entity → its display name (string).
	PredName = quad.IRI(rdfsLabel)
	// PredAlias is entity → another name it goes by: short name, former name, variant (string).
	PredAlias = quad.IRI(NS + "alias")
	// PredParent is entity → its parent in a tree: Region → Region, ChainNode → ChainNode, IndustryCode → IndustryCode.
	PredParent = quad.IRI(NS + "parent")
	// PredLevel is entity → its level in a hierarchy or ranking (string): province/city/county/town,
	// section/division/group/class, national/provincial/municipal.
	PredLevel = quad.IRI(NS + "level")
	// PredRegion is Firm, Park, Plan → the Region it belongs to.
	PredRegion = quad.IRI(NS + "region")
	// PredDescription is entity → a free-text description (string).
	PredDescription = quad.IRI(NS + "description")
	// PredNote is entity → where a hand-curated fact comes from, in words; a plan's
	// Industry, Cluster, Indicator, Mention → a qualifier dropped from its name, or what the page lost (string).
	PredNote = quad.IRI(NS + "note")
	// PredEvidence is Industry, Cluster, Indicator, Mention, Plan → an Evidence.
	PredEvidence = quad.IRI(NS + "evidence")
	// PredConfidence is an inferred fact → its confidence in [0,1] (float).
	PredConfidence = quad.IRI(NS + "confidence")
	// PredMethod is an inferred fact → how it was inferred (string).
	PredMethod = quad.IRI(NS + "method")
	// PredKeyword is ChainNode → a keyword that classifies a firm into it (string).
	PredKeyword = quad.IRI(NS + "keyword")
	// PredIndustryCode is ChainNode, Firm → an IndustryCode.
	PredIndustryCode = quad.IRI(NS + "industryCode")
	// PredTag is IndustryCode, Firm → a tag (string): a classification for codes
	// (strategic, highTech_mfg …), a quality tag for firms (专精特新, 上市 …).
	PredTag = quad.IRI(NS + "tag")
	// PredPlan is Industry, Cluster, Indicator, Mention → the Plan that states it.
	PredPlan = quad.IRI(NS + "plan")
	// PredChain is ChainNode → its Chain; Industry, Cluster, Crosswalk, Park → a Chain they map to.
	PredChain = quad.IRI(NS + "chain")
	// PredAttr is Firm → an attribute kept from a registry column we do not model ("列名=值", string).
	PredAttr = quad.IRI(NS + "attr")
	// PredFirmData is Firm → its fields that are read but never walked (short name, aliases, capital,
	// revenue, employees, dates, type, group, stocks, how its region was found), as one typed value
	// (TypeFirmData) the firm codec reads (graph/firm.go). Stores written before it hold one quad per field.
	PredFirmData = quad.IRI(NS + "firmData")
	// PredFirmText is Firm → its long texts (credit code, address, scope, legal representative, registry
	// attributes) as one typed value (TypeFirmData); the read model leaves it in the store.
	PredFirmText = quad.IRI(NS + "firmText")
	// PredSynthetic is Firm → true when the firm was generated for benchmarks (bool).
	PredSynthetic = quad.IRI(NS + "synthetic")
)

// Region predicates.
const (
	// PredShortName is Region, Firm, Park → the short form used in text (烟台 for 烟台市; string).
	PredShortName = quad.IRI(NS + "shortName")
)

// IndustryCode predicates.
const (
	// PredCategory is IndustryCode → a category path of a special classification
	// ("strategic:新一代信息技术产业 > …", string).
	PredCategory = quad.IRI(NS + "category")
)

// Chain and ChainNode predicates.
const (
	// PredChainType is Chain → its structure (string): updown, serial, layered.
	PredChainType = quad.IRI(NS + "chainType")
	// PredSegment is ChainNode → its segment within the chain (string, a segment id of the chain).
	PredSegment = quad.IRI(NS + "segment")
	// PredSegments is Chain → one of its segments with its position (a typed value, TypeSegment; stores written before it hold "n|id|名称" text).
	PredSegments = quad.IRI(NS + "segments")
	// PredOrder is ChainNode → its position among its siblings (int).
	PredOrder = quad.IRI(NS + "order")
	// PredSuppliesTo is ChainNode → ChainNode it supplies (上游 → 下游).
	PredSuppliesTo = quad.IRI(NS + "suppliesTo")
	// PredExclude is ChainNode → a word that vetoes a keyword match (string).
	PredExclude = quad.IRI(NS + "exclude")
	// PredProduct is ChainNode → a key product (string).
	PredProduct = quad.IRI(NS + "product")
	// PredWeight is ChainNode → its weight in the chain's completeness (float).
	PredWeight = quad.IRI(NS + "weight")
)

// Firm predicates.
const (
	// PredCreditCode is Firm → its 统一社会信用代码 (string).
	PredCreditCode = quad.IRI(NS + "creditCode")
	// PredStatus is Firm → registration status (string): active, cancelled, revoked, moved, other.
	PredStatus = quad.IRI(NS + "status")
	// PredCapital is Firm → registered capital in 万元 of its currency (float).
	PredCapital = quad.IRI(NS + "capital")
	// PredPaidIn is Firm → paid-in capital in 万元 of its currency (float).
	PredPaidIn = quad.IRI(NS + "paidIn")
	// PredCurrency is Firm → currency of its capital (string, ISO 4217: CNY, USD …).
	PredCurrency = quad.IRI(NS + "currency")
	// PredRevenue is Firm → annual revenue in 万元 (float).
	PredRevenue = quad.IRI(NS + "revenue")
	// PredEmployees is Firm → insured employees 参保人数 (int).
	PredEmployees = quad.IRI(NS + "employees")
	// PredFounded is Firm → date of establishment 成立日期 (string, YYYY-MM-DD).
	PredFounded = quad.IRI(NS + "founded")
	// PredFirmType is Firm → 企业类型 (string).
	PredFirmType = quad.IRI(NS + "firmType")
	// PredAddress is Firm, Park → address (string).
	PredAddress = quad.IRI(NS + "address")
	// PredScope is Firm → 经营范围 (string).
	PredScope = quad.IRI(NS + "scope")
	// PredLegalRep is Firm → 法定代表人 (string).
	PredLegalRep = quad.IRI(NS + "legalRep")
	// PredStock is Firm → a stock code (string, "600309.SH").
	PredStock = quad.IRI(NS + "stock")
	// PredRegionMethod is Firm → how its region was resolved (string): column, address, name, creditcode, listing.
	PredRegionMethod = quad.IRI(NS + "regionMethod")
	// PredRegionAsOf is Firm → the date of the evidence its region was read from (string, YYYY or YYYY-MM-DD):
	// a 2016 address is older than a 2025 news page.
	PredRegionAsOf = quad.IRI(NS + "regionAsOf")
	// PredInNode is Firm → a ChainNode it is classified into.
	PredInNode = quad.IRI(NS + "inNode")
	// PredNodeEvidence is Firm → why it is in its nodes: one typed value listing its links (TypeNodeLink;
	// see NodeLinksOf), each with node id, method, confidence, role and matched text.
	PredNodeEvidence = quad.IRI(NS + "nodeEvidence")
	// PredLinkEvidence is Firm → one link's evidence without its matched text (TypeNodeLink): the form
	// the read model's journal keeps of a PredNodeEvidence list, so a link shared by many firms is one
	// value. Never written to the store.
	PredLinkEvidence = quad.IRI(NS + "linkEvidence")
	// PredNotInNode is Firm → a ChainNode an override says it is not in; it
	// removes that node's links from the firm in the read model.
	PredNotInNode = quad.IRI(NS + "notInNode")
	// PredExclusionNote is Firm → why an override took it out of a node,
	// encoded by EncodeNodeLink (string; method "override", the note as the
	// matched text). One value per PredNotInNode edge that has a note.
	PredExclusionNote = quad.IRI(NS + "exclusionNote")
	// PredPark is Firm → the Park it is located in.
	PredPark = quad.IRI(NS + "park")
	// PredGroup is Firm → the name of its enterprise group (集团, string).
	PredGroup = quad.IRI(NS + "group")
	// PredMemberOf is Firm → the Firm of the group (集团) it belongs to, as a source names the group:
	// 杰瑞股份 and 杰瑞石油天然气工程 are members of 杰瑞集团; a firm's plant in another city, of the firm.
	PredMemberOf = quad.IRI(NS + "memberOf")
)

// Park predicates.
const (
	// PredParkKind is Park, a park's Mention → kind (string): 经开区, 高新区, 自贸片区, 综保区, 产业园 …
	PredParkKind = quad.IRI(NS + "parkKind")
	// PredFocus is Park → a focus industry in words (string); PredChain links the chains it maps to.
	PredFocus = quad.IRI(NS + "focus")
)

// Plan, Industry, Cluster, Indicator, Mention, Crosswalk and Evidence predicates.
const (
	// PredTitle is Plan → its title (string).
	PredTitle = quad.IRI(NS + "title")
	// PredIssuer is Plan → the issuing body (string).
	PredIssuer = quad.IRI(NS + "issuer")
	// PredPublished is Plan → date published (string, YYYY-MM-DD).
	PredPublished = quad.IRI(NS + "published")
	// PredPeriod is Plan → the period it covers ("2021-2025", string).
	PredPeriod = quad.IRI(NS + "period")
	// PredDocument is Plan, Evidence → the document's file name (string).
	PredDocument = quad.IRI(NS + "document")
	// PredRole is Industry → role (string): pillar, key, emerging, future, traditional, advantage.
	PredRole = quad.IRI(NS + "role")
	// PredMetric is Indicator → what is measured (string).
	PredMetric = quad.IRI(NS + "metric")
	// PredValue is Indicator → its value in its unit (float); absent when the text lost the number.
	PredValue = quad.IRI(NS + "value")
	// PredUnit is Indicator → unit (string): 亿元, %, 个, 家 …
	PredUnit = quad.IRI(NS + "unit")
	// PredComparator is Indicator → comparator (string): ">=", "<=", "~", "=".
	PredComparator = quad.IRI(NS + "comparator")
	// PredYear is Indicator → the year it refers to (int).
	PredYear = quad.IRI(NS + "year")
	// PredIndicatorKind is Indicator → baseline or target (string).
	PredIndicatorKind = quad.IRI(NS + "indicatorKind")
	// PredMentionKind is Mention → what was named (string): firm, park.
	PredMentionKind = quad.IRI(NS + "mentionKind")
	// PredResolvesTo is Mention → the Firm or Park it was matched to.
	PredResolvesTo = quad.IRI(NS + "resolvesTo")
	// PredPhrase is Crosswalk → the plan wording it maps (string).
	PredPhrase = quad.IRI(NS + "phrase")
	// PredText is Evidence → the sentence; Plan → the document's text (string).
	PredText = quad.IRI(NS + "text")
	// PredStart is Evidence → start offset in characters of the original document (int).
	PredStart = quad.IRI(NS + "start")
	// PredEnd is Evidence → end offset in characters of the original document (int).
	PredEnd = quad.IRI(NS + "end")
	// PredNormText is Plan → its normalised text, the one the facts were read from (string).
	PredNormText = quad.IRI(NS + "normText")
	// PredNormStart is Evidence → start offset in characters of the plan's normalised text (int).
	PredNormStart = quad.IRI(NS + "normStart")
	// PredNormEnd is Evidence → end offset in characters of the plan's normalised text (int).
	PredNormEnd = quad.IRI(NS + "normEnd")
	// PredQuote is Evidence → the words of the sentence the fact was read from, Start to End (string).
	PredQuote = quad.IRI(NS + "quote")
	// PredStated is CountedGroup → the number the plan states (int).
	PredStated = quad.IRI(NS + "stated")
	// PredListed is CountedGroup → the number of items the plan lists with it (int).
	PredListed = quad.IRI(NS + "listed")
	// PredItem is CountedGroup → one listed item, "position|name" (string).
	PredItem = quad.IRI(NS + "item")
	// PredOpen is CountedGroup → true when the list ends in 等, its items being examples (bool).
	PredOpen = quad.IRI(NS + "open")
	// PredConflictKind is Conflict → what disagrees (string): count.
	PredConflictKind = quad.IRI(NS + "conflictKind")
	// PredInvolves is Conflict → a CountedGroup among the statements that disagree.
	PredInvolves = quad.IRI(NS + "involves")
)

// Terms of exported RDF, where evidence is data rather than packed literals.
const (
	// ClassSegment is a segment (上游, 中游 …) of a chain, as a resource.
	ClassSegment = quad.IRI(NS + "Segment")
	// PredWasDerivedFrom is PROV-O's wasDerivedFrom: an evidence node → the
	// Source that asserts it.
	PredWasDerivedFrom = quad.IRI("http://www.w3.org/ns/prov#wasDerivedFrom")
)

// Data-quality marks: a writer's verdict on an item of the data-quality
// view, kept as an override source so it survives reloads.
const (
	// ClassQualityMark is a writer's verdict on a data-quality item.
	ClassQualityMark = quad.IRI(NS + "QualityMark")
	// PredMarks is QualityMark → the key of the item it judges (string).
	PredMarks = quad.IRI(NS + "marks")
	// PredMarkStatus is QualityMark → resolved or wrong (string).
	PredMarkStatus = quad.IRI(NS + "markStatus")
	// PredMarkedBy is QualityMark → who marked it (string: the token's role or a name).
	PredMarkedBy = quad.IRI(NS + "markedBy")
	// PredMarkedAt is QualityMark → when (RFC 3339 string).
	PredMarkedAt = quad.IRI(NS + "markedAt")
)

// 招商线索 (leads): a team's pursuit of a target firm for a region × chain,
// kept as one source of its own with every change in its history, so a
// lead survives reloads of every other source.
const (
	// ClassLead is a 招商线索: a firm a team pursues for a region × chain.
	ClassLead = quad.IRI(NS + "Lead")
	// ClassLeadEvent is one change of a lead: who, when, what changed.
	ClassLeadEvent = quad.IRI(NS + "LeadEvent")
	// PredLeadFirm is Lead → the Firm pursued.
	PredLeadFirm = quad.IRI(NS + "leadFirm")
	// PredLeadRegion is Lead → the Region the team attracts the firm to.
	PredLeadRegion = quad.IRI(NS + "leadRegion")
	// PredLeadChain is Lead → the Chain it serves.
	PredLeadChain = quad.IRI(NS + "leadChain")
	// PredLeadNode is Lead → the ChainNode (环节) it would fill.
	PredLeadNode = quad.IRI(NS + "leadNode")
	// PredLeadPark is Lead → the Park the firm would settle in.
	PredLeadPark = quad.IRI(NS + "leadPark")
	// PredLeadOwner is Lead → the person or team in charge of it (string).
	PredLeadOwner = quad.IRI(NS + "leadOwner")
	// PredLeadNote is Lead → the note it was created with (string).
	PredLeadNote = quad.IRI(NS + "leadNote")
	// PredLeadStatus is Lead → its status (string): 待接触, 已接触, 已拜访, 洽谈中, 已签约, 已落地, 已放弃.
	PredLeadStatus = quad.IRI(NS + "leadStatus")
	// PredStatusDate is Lead → the date it reached its status (string, YYYY-MM-DD).
	PredStatusDate = quad.IRI(NS + "statusDate")
	// PredNextFollowUp is Lead → the date of the next follow-up (string, YYYY-MM-DD).
	PredNextFollowUp = quad.IRI(NS + "nextFollowUp")
	// PredCreatedBy is Lead → who created it (string).
	PredCreatedBy = quad.IRI(NS + "createdBy")
	// PredCreatedAt is Lead → when it was created (RFC 3339 string).
	PredCreatedAt = quad.IRI(NS + "createdAt")
	// PredHistory is Lead → a LeadEvent of its history.
	PredHistory = quad.IRI(NS + "history")
	// PredEventAt is LeadEvent → when the change was made (RFC 3339 string).
	PredEventAt = quad.IRI(NS + "eventAt")
	// PredEventBy is LeadEvent → who made it (string).
	PredEventBy = quad.IRI(NS + "eventBy")
	// PredEventNote is LeadEvent → the note written with it (string).
	PredEventNote = quad.IRI(NS + "eventNote")
	// PredEventChange is LeadEvent → one field changed, "position\tfield\tfrom\tto" (string).
	PredEventChange = quad.IRI(NS + "eventChange")
)

// Source predicates. They live in the meta graph (MetaLabel), not in a source's own label.
const (
	// PredSourceKind is Source → kind (string): reference, chains, registry, plan, override.
	PredSourceKind = quad.IRI(NS + "sourceKind")
	// PredOrigin is Source → where it was read from (file name or URL, string).
	PredOrigin = quad.IRI(NS + "origin")
	// PredCurrent is Source → its current version, the label of its facts.
	PredCurrent = quad.IRI(NS + "currentVersion")
	// PredLoadedAt is a version → when it was committed (RFC 3339 string).
	PredLoadedAt = quad.IRI(NS + "loadedAt")
	// PredHash is a version → the content hash of its facts (string, "sha256:…").
	PredHash = quad.IRI(NS + "hash")
)

// MetaLabel is the label of the quads that describe sources and their versions.
const MetaLabel = quad.IRI(IDBase + "meta")

// Entity IRI prefixes, one per kind of entity. IDs mint their IRIs with these.
const (
	prefixRegion    = IDBase + "region/"
	prefixCode      = IDBase + "gbt4754/"
	prefixChain     = IDBase + "chain/"
	prefixNode      = IDBase + "node/"
	prefixFirm      = IDBase + "firm/"
	prefixPark      = IDBase + "park/"
	prefixPlan      = IDBase + "plan/"
	prefixSource    = IDBase + "source/"
	prefixCrosswalk = IDBase + "crosswalk/"
	prefixMark      = IDBase + "mark/"
	prefixLead      = IDBase + "lead/"
)

// PlanPartKind is the kind of fact a plan states: the segment of its IRI
// plan/<id>/<kind>/<n> (PlanPartID) that names the class.
type PlanPartKind string

// Plan part kinds, one per class of fact a plan states.
const (
	// PartEvidence is an Evidence (ClassEvidence).
	PartEvidence PlanPartKind = "ev"
	// PartIndustry is a Designation (ClassIndustry).
	PartIndustry PlanPartKind = "industry"
	// PartCluster is a Cluster (ClassCluster).
	PartCluster PlanPartKind = "cluster"
	// PartIndicator is an Indicator (ClassIndicator).
	PartIndicator PlanPartKind = "indicator"
	// PartMention is a Mention (ClassMention).
	PartMention PlanPartKind = "mention"
	// PartGroup is a CountedGroup (ClassCountedGroup).
	PartGroup PlanPartKind = "group"
	// PartConflict is a Conflict (ClassConflict).
	PartConflict PlanPartKind = "conflict"
)

// planPartKinds are the kinds a plan part's IRI may name.
var planPartKinds = []PlanPartKind{PartEvidence, PartIndustry, PartCluster, PartIndicator, PartMention, PartGroup, PartConflict}
