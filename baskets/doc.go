// Package baskets answers one question with numbers a person can recompute
// by hand: is money rotating from training-era names to inference-era names,
// and through which segments?
//
// It is pure: Compute reads no clock (asOf is passed in), does no I/O and
// knows no terminal. WriteJSON, WriteCSV and WriteTable render a Report to an
// io.Writer for `rotation print`.
//
// # Range returns
//
// A listing's range return, in percent, is
//
//	r = 100 * (price now / base - 1)
//
// Price now is the quote's price; without a usable quote, the last close of
// the range's series. The base depends on the range:
//
//   - 1D: the quote's previous regular close. Without one, the last close of
//     the session before the series' last session.
//   - 5D: the last close of the session before the first of the series' last
//     5 sessions. Sessions are the series' Periods when given, else its bars
//     grouped by local calendar date. If the series starts exactly at the
//     first of those 5 sessions, its PreviousClose; with fewer than 5
//     sessions there is no base.
//   - 1M, 3M, 6M, 1Y: the last daily close on or before the base date, asOf's
//     date minus that many calendar months, the day clamped to the month's
//     end (31 March - 1M = 28 February, not 3 March). If the series starts
//     after the base date by at most 7 days (a long weekend, a holiday), its
//     PreviousClose, the close before its first bar; later than that, no base.
//   - YTD: the last close of the previous year, found the same way with 31
//     December as the base date.
//
// Dates are calendar dates in the listing's exchange time zone (the quote's
// ExchangeTZ, else the zone its symbol implies, e.g. Asia/Tokyo for .T), and bars after asOf (daily: after asOf's
// local date) are ignored. A price or close that is not above zero, or is
// NaN, is missing: it is skipped and flagged, never used as 0.
//
// The day columns of a member are Change = price - previousClose and
// ChangePercent = 100 * (price / previousClose - 1), so on the 1D range
// ChangePercent equals the range return.
//
// # Currency
//
// By default every listing is measured in its own currency; a return has no
// unit, so baskets may mix currencies. Converted (Input.Currency USD, EUR,
// JPY...), every price goes through the US-dollar crosses (market.FX): rate
// = units of a currency per US dollar (Yahoo's XXX=X), and perMajor = 100 for
// the minor units some exchanges quote in (GBp pence in London, ZAc cents in
// Johannesburg, ILA agorot in Tel Aviv), else 1:
//
//	usd     = local / (rate_listing * perMajor)
//	display = usd * rate_display
//
// A listing already in the display currency needs no rate (a GBp line in
// GBP is divided by 100, nothing more). Each price converts at its own
// instant:
//   - now: the pairs' prices now;
//   - the base: the pairs' rates when the base close was made (rateAt, the
//     one rule for every range, the horizons and the rotation map). On a
//     daily range, each pair's daily close of the date that close was made
//     (the listing's local date), or the last one before it. On 1D and 5D
//     the same, or the pair's last intraday bar at or before that instant
//     where its intraday series reaches back so far. A base that is a
//     previous close was made at the end of the listing's session before
//     the window's first bar, on its exchange calendar; a pair's previous
//     close counts as its daily close of the session before the one it
//     precedes. The rate is chosen by the listing's date, since a pair
//     trades on other days than the listing. With no rate for that date the
//     listing is missing, and flagged;
//   - the previous close: likewise, at the end of the session before the
//     quote's;
//   - a point of an index line or a window: likewise at that point (an
//     index line's point dated by its UTC date), except while the member
//     still stands at its base, where the base's rate keeps it at exactly
//     100.
//
// A listing whose pair has no price is missing when converted, and flagged.
//
// # Segment baskets
//
// Each watchlist file is a basket with the file's weights w. Over the
// members that have a range return,
//
//	R = sum(w * r) / sum(w)
//
// Coverage says how many members were priced, of how many listed. A segment
// with no priced member has no return (JSON null), not 0. Breadth counts
// members up (r > 0), down (r < 0) and unchanged (r = 0): every member with
// a return, in the basket or not, under every weighting.
//
// The basket index is drawn on a time grid common to the whole report:
// 5-minute UTC buckets for 1D, 30-minute buckets for 5D, calendar days for
// longer ranges. At each grid point t
//
//	I(t) = 100 * sum(w * P(t) / P(base)) / sum(w)
//
// where P(t) is the member's last close at or before t within the range
// (after its base), carried forward while its market is closed, and its base
// before its first bar, so listings on different exchanges combine
// honestly. The grid starts where every member stands at its base (one step
// before the first bar of the range; for daily ranges, the base date) and
// ends at the latest bar or quote. Its last point uses the live prices, so
// I_last = 100 + R exactly. An intraday grid spans at most 4 days (1D) or
// 16 days (5D); a listing whose range starts earlier enters carried forward.
//
// # Eras, spread, benchmark
//
// An era's return is the plain mean of its segments' returns (segments with
// a null return left out; Segments says how many were averaged), and its
// index the mean of those segments' indexes: each segment counts once,
// whatever its size (under cap weighting, see Weighting). A symbol in two
// segments counts in both. An era's breadth (up, down, unchanged) counts its
// distinct members with a return, a name in two segments once. Segments of
// the benchmark era belong to neither era; they are reported as segments.
//
//	spread = R_inference - R_training            (percentage points)
//	ratio line(t) = 100 * I_inference(t) / I_training(t)
//
// The benchmark (SPY unless told otherwise) is priced like any listing;
// every segment and era also reports its excess return R - r_benchmark, in
// percentage points.
//
// # Rotation map
//
// In the manner of relative rotation graphs (J. de Kempenaer's RRG), each
// segment and each era is placed by the trend and the momentum of its
// relative strength against the benchmark. Bars are the benchmark's daily
// sessions up to asOf (Input.RotationMode "daily", the default), or in
// "weekly" mode the last session of each ISO week (Monday to Sunday; the
// week in progress counts with its latest session, and a week whose Friday
// is a holiday ends on the Thursday). Report.RotationMode says which. The
// map uses the last 19 bars (15 at least, for a point without a full tail).
// On those bars, with every series rebased to its close on the first of
// them and members carried forward from their last daily close (a member
// without a close on or before the first bar is left out):
//
//	I(t)           = 100 * sum(w * P(t) / P(t0)) / sum(w)
//	RS(t)          = 100 * I(t) / (100 * B(t) / B(t0))
//	RS-ratio(t)    = 100 * RS(t) / SMA10(RS)(t)
//	RS-momentum(t) = 100 * RS-ratio(t) / RS-ratio(t-5)
//
// where SMA10(RS)(t) is the plain mean of RS over the 10 bars t-9 .. t, and
// t-5 is five bars back: sessions when daily, weeks when weekly (so the
// weekly windows are 10 and 5 weeks). Both figures are rounded to 9
// decimals, below which there is only float noise. An era's index is the
// mean of its segments' I(t), each counting once (benchmark-era segments
// belong to neither); it is placed like a segment's. A segment with no
// priced member, and an era with none, has no place (null); an era is
// placed by its segments that have one. Converted, a member's
// value on a bar is its last daily close on or before the bar's date (in its
// own exchange's dates) at the pairs' rate for the date that close was made,
// as a base converts: a member shut on a bar keeps its own close's rate.
//
// RS-ratio >= 100 means the segment did better than the benchmark over the
// last 10 bars on balance: its relative strength is at or above its own
// 10-bar average. RS-momentum > 100 means that lead is growing (or the lag
// shrinking) over 5 bars. Because both are ratios, not z-scores, a steady
// relative trend keeps its size: a segment compounding 0.5 % a session
// faster than the benchmark has a constant RS-ratio of 102.26 and momentum
// exactly 100; an exactly linear trend has a point like any other. The only
// null is missing data: too few bars, no priced member, no benchmark.
//
// Quadrants: ahead when RS-ratio >= 100; rising when RS-momentum > 100, or
// exactly 100 while ahead. Leading (ahead, rising), weakening (ahead, not
// rising), lagging (behind, not rising), improving (behind, rising); null
// when either figure is. A steady trend (momentum exactly 100) thus stays on
// its own side, leading or lagging, and a segment moving exactly with the
// benchmark, (100, 100), is leading. The tail is the last 5 bars' points,
// oldest first, ending at the current one.
//
// JdK's formulas are proprietary; what is published is that RS-ratio and
// RS-momentum are normalised to oscillate around 100. This
// map uses instead the open construction above: a ratio to a simple moving
// average, then a rate of change, both scale-preserving, with no further
// smoothing or volatility normalisation. Its figures keep their units (RS
// 2 % above its 10-bar mean reads 102, not a number stretched to a common
// scale), so compare segments with each other, not with a published RRG.
//
// Example: against a flat benchmark, a segment that closes at 100 for 14
// sessions and at 110 on the 15th has RS-ratio 100 * 110 / 101 = 108.91 (the
// 10-session mean is (9 * 100 + 110) / 10 = 101); five sessions earlier its
// RS-ratio was 100, so RS-momentum is 108.91 too: leading. At 90 instead,
// both are 100 * 90 / 99 = 90.91: lagging.
//
// # Weighting
//
// Input.Weighting (Report.Weighting, JSON "weighting") says how members
// weigh in a basket:
//
//   - "file" (the default, also for ""): the watchlist file's weights;
//   - "equal": every member 1;
//   - "cap": a member's market value at the base, in US dollars,
//     V = marketCapUSD * base / price (see Capital flows: the same shares at
//     the base price, local prices, so at today's rate).
//
// A member without V (no marketCap, no FX rate for it, no base) is left out
// of a cap-weighted basket: it keeps its return, its basketWeight is null,
// its flag says why, and coverage.priced counts only the members in the
// basket, as do up and down. basketWeight is the weight actually used, so
// R = sum(basketWeight * r) / sum(basketWeight) can be recomputed from the
// JSON under every weighting.
//
// Under cap weighting an era is one basket over its distinct members (a
// name in two of its segments counts once): R_era = sum(V * r) / sum(V),
// its index built on the same weights, so that its last point is 100 + R.
// This is the era's value-weighted return, not the mean of its segments'
// returns, which would weigh a small segment's names far above their value;
// file and equal weighting keep the mean of segment returns. The rotation
// map uses the baskets' weights (cap: V at the range's base).
//
// Index providers weight by float-adjusted caps and rebalance on a
// schedule; here V is Yahoo's full marketCap with today's share count and
// today's FX rate, so weights move with prices only. In local mode, with a
// cap for every member, R_cap = 100 * sum(capChangeUSD) / sum(V).
//
// # Capital flows
//
// Per listing, from its quote:
//
//	marketCapUSD   = marketCap / rate
//	capChangeUSD   = marketCapUSD - marketCapUSD * base / price
//	relativeVolume = regularMarketVolume / averageDailyVolume3Month
//
// rate is the listing's FX pair now (1 for USD). Yahoo's marketCap is in
// the major unit (GBP for a London line quoted in GBp), so it is not divided
// by 100 as the pence price is. base and price are the range return's, in
// the listing's own currency: capChangeUSD is the range's change in market
// value with the share count held, at today's rate, so a currency's own
// move is no flow. It ignores buybacks, issuance and splits, and it is not
// money moved in the ETF sense (creations and redemptions): every trade has
// a buyer and a seller; it measures where value went. Each figure is null
// when an input is missing, zero or not a number.
//
// A segment's capChangeUSD is the sum over its members that have one; an
// era's the sum over its segments' distinct members, so a name in two
// segments counts in each segment but once in the era. A group's
// relativeVolume is dollar-weighted,
//
//	relativeVolume = sum(volume * priceUSD) / sum(averageDailyVolume3Month * priceUSD)
//
// over the members with all three (priceUSD: the price now at today's
// rate), so listings in different currencies add up and a large name counts
// for more than a small one. flowCoverage says how many distinct members
// gave each (cap, volume) of how many (total); a group where none does is
// null, not 0. Practitioners' relative volume is usually today's volume over
// an N-day average, often adjusted for the time of day (volume so far over
// the usual volume by this hour); this one is not: early in a session it
// reads low, and it is the latest session's whatever the range.
//
// Example, the worked example below with caps and volumes:
//
//	      marketCap  volume  3M avg   cap at base            capChangeUSD  relVol
//	NVDA  $4,950B    250M    200M     4950 * 180/198 = 4500   +450B        1.25x
//	AMD     $247B     50M    100M      247 * 160/152 =  260    -13B        0.50x
//	MU      $117B     20M     25M      117 * 100/104 = 112.5   +4.5B       0.80x
//	AVGO  $1,680B     30M     20M     1680 * 100/112 = 1500   +180B        1.50x
//	GPUs: +437B, (250*198 + 50*152) / (200*198 + 100*152) = 57,100 / 54,800 = 1.04x
//	HBM: +4.5B, 0.80x; ASICs: +180B, 1.50x, MRVL without data (cap 1 of 2)
//	training: +441.5B, (57,100 + 2,080) / (54,800 + 2,600) = 1.03x; inference: +180B, 1.50x
//
// Were NVDA listed in HBM too, HBM would show +454.5B and training still
// +441.5B. Equal weighting: GPUs (10 - 5) / 2 = +2.50 %, training (2.5 + 4)
// / 2 = +3.25 %, spread +8.75 pp. Cap weighting: GPUs (4500 * 10 + 260 *
// -5) / 4760 = +9.18 %; training, one basket over NVDA, AMD and MU,
// (45,000 - 1,300 + 450) / 4,872.5 = +9.06 % = 100 * 441.5 / 4,872.5;
// inference +12.00 %, spread +2.94 pp. The GPUs index on 10-10 is 105.00
// under every weighting, both names being up 5 % that day. A London line
// with a marketCap of 40B pounds at GBP=X 0.80 is $50B; at 500 pence now
// and 480 at the base it was $48B: capChangeUSD +$2B in either currency
// mode, though its return in dollars is -2.34 %.
//
// # Worked example
//
// 1M to 2025-10-29 in local currency, benchmark SPY 500.00 on 2025-09-29
// and 510.00 now: r_SPY = 100 * (510 / 500 - 1) = +2.00 %.
//
//	GPUs (training): NVDA w=2, 180.00 on 09-29, 198.00 now: r = +10.00 %
//	                 AMD  w=1, 160.00 on 09-29, 152.00 now: r =  -5.00 %
//	                 R = (2 * 10 + 1 * -5) / (2 + 1) = +5.00 %, excess +3.00 pp
//	HBM (training):  MU   w=1, 100.00 -> 104.00:            R =  +4.00 %
//	ASICs (inference): AVGO w=1, +12.00 %; MRVL w=1 has no quote and no series
//	                 R = +12.00 %, coverage 1 of 2
//	training  = (5 + 4) / 2 = +4.50 %, excess +2.50 pp
//	inference = 12 / 1      = +12.00 %, excess +10.00 pp
//	spread    = 12 - 4.5    = +7.50 pp
//
// If on 2025-10-10 NVDA closed at 189 and AMD at 168, the GPUs index that day
// is 100 * (2 * 189/180 + 1 * 168/160) / 3 = 100 * (2.10 + 1.05) / 3 = 105.00,
// and its last point is 100 * (2 * 1.10 + 0.95) / 3 = 105.00 = 100 + R.
//
// In USD mode, a London line at 500 pence now and 480 at the base, with
// GBP=X at 0.80 now and 0.75 at the base, is 500 / (0.80 * 100) = 6.25
// dollars against 480 / (0.75 * 100) = 6.40: -2.34 % in dollars, though
// +4.17 % in pence.
//
// # Contributions
//
// Each figure is split into parts that add up to it, at full precision
// (see contrib.go):
//
//   - a member's contribution to its segment's return, in pp, is
//     basketWeight * r / sum(basketWeight) over the basket's members (a
//     return and a weight under the weighting, in the report's currency);
//     null out of the basket, where the flags say why;
//   - a segment's eraContribution under file and equal weighting, the era's
//     return being the mean over its Segments: R / Segments, and a member's
//     contribution / Segments;
//   - under cap weighting, the era being one basket over its distinct
//     names: a name's part is V * r / sum(V) over those names. A name in k
//     of the era's segments is one member of that basket, and its part is
//     split equally among its k rows (half each in two), so that the rows
//     still add up to the era's return; a segment's eraContribution is the
//     sum of its rows';
//   - null for benchmark-era segments and their members, and for a
//     segment without a return;
//   - spreadContributions: per training or inference segment with an
//     eraContribution, pp = eraContribution for inference and
//     -eraContribution for training, largest |pp| first (ties by file);
//     they add up to the spread, and there are none without one.
//
// topMoves are the ratio line's five largest steps on the report's grid,
// each 100 * (v[i] / v[i-1] - 1) at the time of point i, largest in size
// first (ties: earlier first); a step of exactly zero is no move. Baskets
// knows no events: report fills each move's events from the events of its
// UTC date. A horizon (returns only) computes none of these.
//
// In the worked example: NVDA 2 * 10 / 3 = +6.67 pp and AMD 1 * -5 / 3 =
// -1.67 pp of GPUs' +5.00 %; to training, over 2 segments, GPUs +2.50, HBM
// +2.00 (NVDA +3.33, AMD -0.83, MU +2.00); the spread's parts ASICs +12.00,
// GPUs -2.50, HBM -2.00, adding up to +7.50.
//
// # Output
//
// WriteJSON writes the Report's JSON form: numbers in percent (returns,
// excess) or percentage points (spread), prices in the report's currency,
// null where unknown; each number rounded to what it means (Percent, Ratio,
// Money, Price in opt.go), and WriteCSV's cells alike. A simulated feed always has state "simulated" and
// simulated true. WriteCSV writes one row per symbol per segment with the
// columns of csvHeader, including "simulated"; unknown numbers are empty
// cells; the columns weighting, basketWeight, marketCapUSD, capChangeUSD,
// relativeVolume, segmentCapChangeUSD, segmentRelativeVolume, contribution,
// eraContribution and segmentEraContribution come last.
// WriteTable is for people; its first line says where the prices come from
// and, for the simulated feed, that they are not market data. A flows line
// under the eras gives each era's capChangeUSD and relativeVolume; the
// segment and member tables have FLOW and REL VOL columns, ERA CONTRIB and
// CONTRIB, and "why the spread moved" lists spreadContributions and topMoves.
package baskets
