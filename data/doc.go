// Package data embeds chainkg's default dataset: the reference tables
// (regions, GB/T 4754 and its special classifications, parks), the chain
// library with its crosswalks (chains/), and the listed companies and firm
// honours (registry/) that the service loads into an empty store. It only
// embeds; the loaders package reads these files (loaders.Defaults gives the
// order). SOURCES.md says where each file comes from and under which licence.
package data
