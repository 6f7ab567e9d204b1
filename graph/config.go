package graph

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// Config holds every weight and threshold of the analytics. DefaultConfig
// documents the defaults; a request may override any of them by name
// (Config.Set), and every answer echoes the Config it used.
type Config struct {
	// Node level (chain map). score = WScale·scale + WLinkage·linkage + WQuality·quality.
	WScale   float64 `cfg:"w_scale"`   // weight of the node's scale (local presence against the nation)
	WLinkage float64 `cfg:"w_linkage"` // weight of linkage (adjacent nodes present locally)
	WQuality float64 `cfg:"w_quality"` // weight of quality (share of tagged firms)
	// LQFull is the location quotient at which the LQ half of scale is full.
	LQFull float64 `cfg:"lq_full"`
	// CountFull is the local firm count at which the count half of scale is full (log-scaled).
	CountFull float64 `cfg:"count_full"`
	// QualityFull is the share of tagged firms at which quality is full.
	QualityFull float64 `cfg:"quality_full"`
	// LevelStrong and LevelPotential are the score thresholds of 优势 and 潜力; below is 薄弱.
	LevelStrong    float64 `cfg:"level_strong"`
	LevelPotential float64 `cfg:"level_potential"`
	// PresentMin is the local firm count from which a node counts as present for completeness.
	PresentMin int `cfg:"present_min"`
	// TopFirms is how many firms a chain-map node lists.
	TopFirms int `cfg:"top_firms"`

	// Gap severity = GSLevel·level + GSDependence·dependence + GSPeers·peers + GSWeight·weight.
	GSLevel      float64 `cfg:"gs_level"`
	GSDependence float64 `cfg:"gs_dependence"`
	GSPeers      float64 `cfg:"gs_peers"`
	GSWeight     float64 `cfg:"gs_weight"`
	// DependenceFull is the count of local firms downstream at which dependence is full.
	DependenceFull float64 `cfg:"dependence_full"`

	// Anchor score = WAScale·scale + WABreadth·breadth + WALinkage·linkage + WAQuality·quality.
	WAScale   float64 `cfg:"wa_scale"`
	WABreadth float64 `cfg:"wa_breadth"`
	WALinkage float64 `cfg:"wa_linkage"`
	WAQuality float64 `cfg:"wa_quality"`
	// BreadthFull is the number of the chain's leaf nodes a firm must cover for full breadth.
	BreadthFull float64 `cfg:"breadth_full"`
	// LinkageFull is the count of local firms in adjacent nodes at which anchor linkage is full.
	LinkageFull float64 `cfg:"linkage_full"`
	// GateRevenuePillar and GateRevenueEmerging are the anchor revenue gates in 万元 for a chain
	// the region's plans designate pillar, and for any other chain (Guangdong 2022: 50亿 / 10亿).
	GateRevenuePillar   float64 `cfg:"gate_revenue_pillar"`
	GateRevenueEmerging float64 `cfg:"gate_revenue_emerging"`
	// GatePercentile admits a firm whose revenue is unknown when its registered capital is at
	// least this percentile (0–100) of the chain's local firms.
	GatePercentile float64 `cfg:"gate_percentile"`

	// Target score = WTGap·gap + WTAffinity·affinity + WTQuality·quality + WTScale·scale +
	// WTProximity·proximity − WTRisk·risk.
	WTGap       float64 `cfg:"wt_gap"`
	WTAffinity  float64 `cfg:"wt_affinity"`
	WTQuality   float64 `cfg:"wt_quality"`
	WTScale     float64 `cfg:"wt_scale"`
	WTProximity float64 `cfg:"wt_proximity"`
	WTRisk      float64 `cfg:"wt_risk"`
	// GroupFit discounts the gap fit of a firm linked only to a group node
	// (电池材料) for the blank leaves under it (负极材料): the evidence says
	// the group, not the leaf.
	GroupFit float64 `cfg:"group_fit"`
	// CapitalFull is the registered capital (万元) at which the scale of a target is full (log-scaled).
	CapitalFull float64 `cfg:"capital_full"`
	// TinyCapital is the registered capital (万元) below which a firm counts as a risk.
	TinyCapital float64 `cfg:"tiny_capital"`
}

// DefaultConfig returns the documented defaults.
func DefaultConfig() Config {
	return Config{
		WScale: 0.5, WLinkage: 0.3, WQuality: 0.2,
		LQFull: 2, CountFull: 30, QualityFull: 0.5,
		LevelStrong: 60, LevelPotential: 35,
		PresentMin: 1, TopFirms: 5,

		GSLevel: 0.4, GSDependence: 0.3, GSPeers: 0.2, GSWeight: 0.1,
		DependenceFull: 20,

		WAScale: 0.35, WABreadth: 0.15, WALinkage: 0.25, WAQuality: 0.25,
		BreadthFull: 3, LinkageFull: 30,
		GateRevenuePillar: 500000, GateRevenueEmerging: 100000, GatePercentile: 90,

		WTGap: 0.35, WTAffinity: 0.2, WTQuality: 0.15, WTScale: 0.15, WTProximity: 0.15, WTRisk: 0.3,
		GroupFit: 0.6, CapitalFull: 100000, TinyCapital: 10,
	}
}

// Set overrides one value by its name (the `cfg` tag: "w_scale", "top_firms" …).
// Weights and thresholds must be finite and not negative.
func (c *Config) Set(name, value string) error {
	v := reflect.ValueOf(c).Elem()
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		if t.Field(i).Tag.Get("cfg") != name {
			continue
		}
		f := v.Field(i)
		switch f.Kind() {
		case reflect.Float64:
			x, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
			if err != nil || x < 0 || x != x || x > 1e15 {
				return fmt.Errorf("%w: config %s=%q: want a number ≥ 0", ErrInvalid, name, value)
			}
			f.SetFloat(x)
		case reflect.Int:
			x, err := strconv.Atoi(strings.TrimSpace(value))
			if err != nil || x < 0 || x > 1000 {
				return fmt.Errorf("%w: config %s=%q: want a whole number 0–1000", ErrInvalid, name, value)
			}
			f.SetInt(int64(x))
		}
		return nil
	}
	return fmt.Errorf("%w: unknown config %q", ErrInvalid, name)
}

// Values returns the configuration as name → value, for echoing in answers.
func (c Config) Values() map[string]float64 {
	v := reflect.ValueOf(c)
	t := v.Type()
	out := make(map[string]float64, t.NumField())
	for i := 0; i < t.NumField(); i++ {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.Float64:
			out[t.Field(i).Tag.Get("cfg")] = f.Float()
		case reflect.Int:
			out[t.Field(i).Tag.Get("cfg")] = float64(f.Int())
		}
	}
	return out
}

// ConfigNames lists the names Set accepts, in declaration order.
func ConfigNames() []string {
	t := reflect.TypeOf(Config{})
	out := make([]string, t.NumField())
	for i := range out {
		out[i] = t.Field(i).Tag.Get("cfg")
	}
	return out
}
