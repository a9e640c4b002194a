package sim

import (
	"strings"

	"github.com/rotation-dev/rotation/watchlists"
)

// listing is what the simulation knows about a symbol of its own universe.
// It is the sim's, not the watchlists': a symbol's simulated path must not
// change with which watchlist files happen to be loaded.
type listing struct {
	era     watchlists.Era // drives the era factor (training, inference); benchmark has none
	segment string         // segment factor key, as in the defaults' file name: "gpus"
	name    string
	fund    bool    // an ETF: tracks the market closely, has no earnings and no P/E
	capB    float64 // rough market value (a fund's net assets) in billions of US dollars
	pe      float64 // rough trailing P/E at the epoch; 0 for a loss-maker (and for funds)
	fin     string  // reporting currency when not the listing's (ADRs of foreign firms)
}

const (
	bench = watchlists.Benchmark
	train = watchlists.Training
	infer = watchlists.Inference
)

// universe covers every symbol of the built-in watchlists
// (watchlists/defaults), each with the era and segment it has there;
// TestUniverseMatchesDefaults keeps the two in step. The figures are
// ballparks for plausible screens, not reference data.
//
// Columns: era, segment, name, fund, capB, pe, fin.
var universe = map[string]listing{
	// 01-benchmarks.yaml, 02-renewables.yaml
	"SPY":    {bench, "benchmarks", "SPDR S&P 500 ETF", true, 600, 0, ""},
	"QQQ":    {bench, "benchmarks", "Invesco QQQ Trust", true, 300, 0, ""},
	"SMH":    {bench, "benchmarks", "VanEck Semiconductor ETF", true, 25, 0, ""},
	"SOXX":   {bench, "benchmarks", "iShares Semiconductor ETF", true, 13, 0, ""},
	"ICLN":   {bench, "renewables", "iShares Global Clean Energy ETF", true, 1.5, 0, ""},
	"TAN":    {bench, "renewables", "Invesco Solar ETF", true, 0.8, 0, ""},
	"FSLR":   {bench, "renewables", "First Solar", false, 20, 18, ""},
	"VWS.CO": {bench, "renewables", "Vestas", false, 15, 35, ""},

	// 10-gpus.yaml, 11-foundry.yaml, 12-hbm.yaml
	"NVDA":      {train, "gpus", "NVIDIA", false, 3500, 50, ""},
	"AMD":       {train, "gpus", "Advanced Micro Devices", false, 220, 100, ""},
	"SMCI":      {train, "gpus", "Super Micro Computer", false, 25, 25, ""},
	"2317.TW":   {train, "gpus", "Hon Hai (Foxconn)", false, 80, 15, ""},
	"2382.TW":   {train, "gpus", "Quanta", false, 35, 20, ""},
	"TSM":       {train, "foundry", "TSMC", false, 900, 25, "TWD"},
	"ASML":      {train, "foundry", "ASML Holding", false, 280, 35, "EUR"},
	"8035.T":    {train, "foundry", "Tokyo Electron", false, 80, 25, ""},
	"AMAT":      {train, "foundry", "Applied Materials", false, 150, 22, ""},
	"000660.KS": {train, "hbm", "SK Hynix", false, 100, 8, ""},
	"MU":        {train, "hbm", "Micron Technology", false, 110, 25, ""},
	"005930.KS": {train, "hbm", "Samsung Electronics", false, 300, 14, ""},
	"042700.KS": {train, "hbm", "Hanmi Semiconductor", false, 6, 40, ""},

	// 13-packaging.yaml, 14-dc-power.yaml, 15-gpu-clouds.yaml
	"3711.TW": {train, "packaging", "ASE Technology", false, 20, 20, ""},
	"AMKR":    {train, "packaging", "Amkor Technology", false, 6, 20, ""},
	"BESI.AS": {train, "packaging", "BE Semiconductor", false, 11, 45, ""},
	"6146.T":  {train, "packaging", "Disco", false, 25, 40, ""},
	"6857.T":  {train, "packaging", "Advantest", false, 40, 45, ""},
	"0522.HK": {train, "packaging", "ASMPT", false, 4, 30, ""},
	"VRT":     {train, "dc-power", "Vertiv", false, 45, 60, ""},
	"ETN":     {train, "dc-power", "Eaton", false, 130, 35, ""},
	"SU.PA":   {train, "dc-power", "Schneider Electric", false, 140, 30, ""},
	"ABBN.SW": {train, "dc-power", "ABB", false, 110, 28, ""},
	"2308.TW": {train, "dc-power", "Delta Electronics", false, 35, 40, ""},
	"3017.TW": {train, "dc-power", "Asia Vital Components", false, 8, 40, ""},
	"CRWV":    {train, "gpu-clouds", "CoreWeave", false, 50, 0, ""},
	"NBIS":    {train, "gpu-clouds", "Nebius Group", false, 15, 0, ""},
	"ORCL":    {train, "gpu-clouds", "Oracle", false, 500, 40, ""},
	"IREN":    {train, "gpu-clouds", "IREN", false, 8, 30, ""},

	// 20-custom-silicon.yaml, 21-accelerators.yaml
	"AVGO":    {infer, "custom-silicon", "Broadcom", false, 1100, 80, ""},
	"MRVL":    {infer, "custom-silicon", "Marvell Technology", false, 70, 90, ""},
	"3661.TW": {infer, "custom-silicon", "Alchip", false, 7, 60, ""},
	"3443.TW": {infer, "custom-silicon", "Global Unichip", false, 5, 50, ""},
	"2454.TW": {infer, "custom-silicon", "MediaTek", false, 70, 20, ""},
	"ARM":     {infer, "custom-silicon", "Arm Holdings", false, 150, 150, ""},
	"SNPS":    {infer, "custom-silicon", "Synopsys", false, 80, 55, ""},
	"GOOGL":   {infer, "accelerators", "Alphabet", false, 2200, 25, ""},
	"AMZN":    {infer, "accelerators", "Amazon", false, 2200, 35, ""},
	"META":    {infer, "accelerators", "Meta Platforms", false, 1500, 27, ""},
	"QCOM":    {infer, "accelerators", "Qualcomm", false, 180, 16, ""},
	"CBRS":    {infer, "accelerators", "Cerebras Systems", false, 8, 0, ""},

	// 22-optics.yaml, 23-edge-network.yaml
	"COHR":   {infer, "optics", "Coherent", false, 15, 120, ""},
	"LITE":   {infer, "optics", "Lumentum", false, 10, 0, ""},
	"FN":     {infer, "optics", "Fabrinet", false, 12, 30, ""},
	"CIEN":   {infer, "optics", "Ciena", false, 12, 90, ""},
	"CRDO":   {infer, "optics", "Credo Technology", false, 15, 150, ""},
	"ALAB":   {infer, "optics", "Astera Labs", false, 25, 200, ""},
	"ANET":   {infer, "optics", "Arista Networks", false, 130, 50, ""},
	"5803.T": {infer, "optics", "Fujikura", false, 15, 35, ""},
	"NET":    {infer, "edge-network", "Cloudflare", false, 60, 0, ""},
	"AKAM":   {infer, "edge-network", "Akamai", false, 12, 25, ""},
	"EQIX":   {infer, "edge-network", "Equinix", false, 80, 80, ""},
	"DLR":    {infer, "edge-network", "Digital Realty", false, 55, 45, ""},

	// 24-edge-devices.yaml, 25-nuclear-gas.yaml
	"DELL":    {infer, "edge-devices", "Dell Technologies", false, 90, 20, ""},
	"HPE":     {infer, "edge-devices", "Hewlett Packard Enterprise", false, 28, 20, ""},
	"0992.HK": {infer, "edge-devices", "Lenovo", false, 15, 12, ""},
	"AAPL":    {infer, "edge-devices", "Apple", false, 3400, 33, ""},
	"AMBA":    {infer, "edge-devices", "Ambarella", false, 3, 0, ""},
	"LSCC":    {infer, "edge-devices", "Lattice Semiconductor", false, 8, 100, ""},
	"CEG":     {infer, "nuclear-gas", "Constellation Energy", false, 90, 30, ""},
	"VST":     {infer, "nuclear-gas", "Vistra", false, 60, 30, ""},
	"TLN":     {infer, "nuclear-gas", "Talen Energy", false, 15, 40, ""},
	"GEV":     {infer, "nuclear-gas", "GE Vernova", false, 150, 60, ""},
	"ENR.DE":  {infer, "nuclear-gas", "Siemens Energy", false, 70, 70, ""},
	"CCJ":     {infer, "nuclear-gas", "Cameco", false, 30, 100, "CAD"},
	"OKLO":    {infer, "nuclear-gas", "Oklo", false, 10, 0, ""},
	"SMR":     {infer, "nuclear-gas", "NuScale Power", false, 8, 0, ""},
}

// lookup returns sym's listing; a symbol outside the universe is a plain
// listing with no era, no name and no figures (newProfile fills in
// seed-free ballparks).
func lookup(sym string) (listing, bool) {
	l, ok := universe[strings.ToUpper(sym)]
	return l, ok
}
