package load

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"math"
	"strings"
	"time"

	hdrhistogram "github.com/HdrHistogram/hdrhistogram-go"
)

// A report draws four charts of a run from one description, the charts
// below: in the HTML report an inline script draws them from their JSON
// in the page, in the SVG report Go draws them. Neither needs the
// network.

// chart is one chart of a report: lines (Series) over two axes, or
// horizontal bars (Bars).
type chart struct {
	ID     string   `json:"id"`
	Title  string   `json:"title"`
	XLabel string   `json:"xlabel"`
	YLabel string   `json:"ylabel"`
	XLog   bool     `json:"xlog"`
	XTicks []tick   `json:"xticks,omitempty"` // fixed ticks of the x axis
	Series []series `json:"series,omitempty"`
	Bars   []bar    `json:"bars,omitempty"`
	Note   string   `json:"note,omitempty"`
}

type tick struct {
	V     float64 `json:"v"`
	Label string  `json:"label"`
}

type series struct {
	Name   string       `json:"name"`
	Color  string       `json:"color"`
	Points [][2]float64 `json:"points"`
}

type bar struct {
	Label string  `json:"label"`
	Value float64 `json:"value"`
}

// reportData is what a report shows.
type reportData struct {
	Title   string   `json:"title"`
	Summary []string `json:"summary"`
	Charts  []chart  `json:"charts"`
}

// spectrumPoints returns the latency percentile spectrum of h, as
// HdrHistogram plots it: x is 1/(1-q) for the quantile q (log-scaled: 10
// is p90, 100 is p99), y the latency in milliseconds; the last point is
// the maximum.
func spectrumPoints(h *hdrhistogram.Histogram) [][2]float64 {
	n := h.TotalCount()
	if n == 0 {
		return nil
	}
	top := math.Log10(float64(n)) // beyond 1-1/n the quantiles are the max
	var pts [][2]float64
	for x := 0.0; x < top; x += 0.05 {
		q := 1 - math.Pow(10, -x)
		pts = append(pts, [2]float64{math.Pow(10, x), float64(h.ValueAtQuantile(q*100)) / 1000})
	}
	pts = append(pts, [2]float64{math.Max(math.Pow(10, top), 1), float64(h.Max()) / 1000})
	return pts
}

// spectrumTicks labels the spectrum's x axis in percentiles.
func spectrumTicks(maxX float64) []tick {
	ticks := []tick{{1, "0%"}}
	label := "90%"
	for v := 10.0; v <= math.Max(maxX, 10); v *= 10 {
		ticks = append(ticks, tick{v, label})
		if label == "90%" {
			label = "99%"
		} else if strings.Contains(label, ".") {
			label = strings.TrimSuffix(label, "%") + "9%"
		} else {
			label = "99.9%"
		}
	}
	return ticks
}

// buildReport describes res's charts. title names the target.
func buildReport(res *Result, cfg *Config, title string) *reportData {
	if cfg == nil {
		cfg = &Config{}
	}
	d := &reportData{Title: title}
	p := PercentilesOf(res.Latency)
	mode := "closed loop"
	switch {
	case cfg.Ramp > 0:
		mode = fmt.Sprintf("rate ramp %.0f → %.0f req/s over %s", cfg.Rate, cfg.RateEnd, cfg.Ramp)
	case cfg.Rate > 0:
		mode = fmt.Sprintf("constant rate %.0f req/s", cfg.Rate)
	}
	d.Summary = []string{
		fmt.Sprintf("started %s, %d connections, pipeline %d, %s, %d target(s)", res.Start.UTC().Format(time.RFC3339), cfg.Connections, cfg.Pipeline, mode, len(cfg.Targets)),
		fmt.Sprintf("%d responses in %.2f s: %.1f req/s, %d sent, %d lost, %d connects", res.Requests, res.Duration.Seconds(), res.RPS(), res.Sent, res.Lost, res.Connects),
		fmt.Sprintf("latency p50 %s, p90 %s, p99 %s, p99.9 %s, max %s, mean %s", fmtUS(p.P50), fmtUS(p.P90), fmtUS(p.P99), fmtUS(p.P999), fmtUS(p.Max), fmtUS(int64(res.Latency.Mean()))),
		fmt.Sprintf("errors: %d", res.Errors.Total()),
	}
	if h := res.Handshakes; cfg.Target.TLS && h.Latency != nil {
		hp := PercentilesOf(h.Latency)
		d.Summary = append(d.Summary, fmt.Sprintf("TLS handshakes: %d (%d resumed), mean %s, p99 %s, max %s, apart from the latency", h.Count, h.Resumed, fmtUS(int64(h.Latency.Mean())), fmtUS(hp.P99), fmtUS(hp.Max)))
	}

	spec := spectrumPoints(res.Latency)
	maxX := 10.0
	if len(spec) > 0 {
		maxX = spec[len(spec)-1][0]
	}
	d.Charts = append(d.Charts, chart{
		ID: "spectrum", Title: "Latency by percentile", XLabel: "percentile", YLabel: "latency (ms)",
		XLog: true, XTicks: spectrumTicks(maxX),
		Series: []series{{Name: "latency", Color: "#1f77b4", Points: spec}},
	})

	lat := chart{ID: "latency", Title: "Latency over time", XLabel: "time (s)", YLabel: "latency (ms)"}
	tput := chart{ID: "throughput", Title: "Throughput over time", XLabel: "time (s)", YLabel: "per second"}
	p50 := series{Name: "p50", Color: "#2ca02c"}
	p99 := series{Name: "p99", Color: "#ff7f0e"}
	pmax := series{Name: "max", Color: "#d62728"}
	rps := series{Name: "responses/s", Color: "#1f77b4"}
	eps := series{Name: "errors/s", Color: "#d62728"}
	for i := range res.Intervals {
		iv := &res.Intervals[i]
		if iv.Length < IntervalLength/2 && len(res.Intervals) > 1 {
			continue // the end of the run's wait for its last answers: too short a rate
		}
		t := (iv.Start + iv.Length/2).Seconds() // the middle of the interval
		if iv.Requests > 0 {
			p50.Points = append(p50.Points, [2]float64{t, float64(iv.Latency.P50) / 1000})
			p99.Points = append(p99.Points, [2]float64{t, float64(iv.Latency.P99) / 1000})
			pmax.Points = append(pmax.Points, [2]float64{t, float64(iv.Latency.Max) / 1000})
		}
		rps.Points = append(rps.Points, [2]float64{t, iv.RPS()})
		e := 0.0
		if iv.Length > 0 {
			e = float64(iv.Errors.Total()) / iv.Length.Seconds()
		}
		eps.Points = append(eps.Points, [2]float64{t, e})
	}
	lat.Series = []series{p50, p99, pmax}
	tput.Series = []series{rps, eps}
	d.Charts = append(d.Charts, lat, tput)

	e := res.Errors
	errs := chart{ID: "errors", Title: "Errors by kind", XLabel: "count", Bars: []bar{
		{"connect", float64(e.Connect)}, {"tls", float64(e.TLS)}, {"read", float64(e.Read)},
		{"write", float64(e.Write)}, {"timeout", float64(e.Timeout)}, {"status ≥ 400", float64(e.Status)},
		{"parse", float64(e.Parse)},
	}}
	if e.Total() == 0 {
		errs.Note = "no errors"
	}
	d.Charts = append(d.Charts, errs)
	return d
}

// fmtUS prints microseconds in the unit that suits them.
func fmtUS(us int64) string {
	switch {
	case us < 1000:
		return fmt.Sprintf("%d µs", us)
	case us < 1000_000:
		return fmt.Sprintf("%.2f ms", float64(us)/1e3)
	}
	return fmt.Sprintf("%.2f s", float64(us)/1e6)
}

// WriteHTMLReport writes a report of res as one self-contained HTML page:
// the run's figures and four charts (the latency percentile spectrum,
// latency and throughput per second, errors by kind), drawn as inline SVG
// by an inline script from the data in the page. It loads nothing from
// the network. cfg is the run's configuration (Runner.Config; nil leaves
// the settings out) and title names what was loaded, such as the URL.
func WriteHTMLReport(w io.Writer, res *Result, cfg *Config, title string) error {
	d := buildReport(res, cfg, title)
	for i := range d.Charts {
		for j := range d.Charts[i].Series {
			if d.Charts[i].Series[j].Points == nil {
				d.Charts[i].Series[j].Points = [][2]float64{} // [] for the script, not null
			}
		}
	}
	data, err := json.Marshal(d) // escapes <, > and &: safe inside <script>
	if err != nil {
		return err
	}
	var b bytes.Buffer
	b.WriteString(htmlHead)
	fmt.Fprintf(&b, "<title>h1 load: %s</title>\n</head>\n<body>\n<h1>h1 load: %s</h1>\n<ul id=\"summary\">\n", html.EscapeString(title), html.EscapeString(title))
	for _, s := range d.Summary {
		fmt.Fprintf(&b, "<li>%s</li>\n", html.EscapeString(s))
	}
	b.WriteString("</ul>\n")
	for _, c := range d.Charts {
		fmt.Fprintf(&b, "<figure class=\"chart\" id=\"%s\"></figure>\n", c.ID)
	}
	fmt.Fprintf(&b, "<script id=\"data\" type=\"application/json\">%s</script>\n<script>\n%s</script>\n</body>\n</html>\n", data, htmlScript)
	_, err = w.Write(b.Bytes())
	return err
}

const htmlHead = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body { font: 14px system-ui, sans-serif; margin: 2em auto; max-width: 920px; color: #222; }
h1 { font-size: 20px; word-break: break-all; }
#summary { line-height: 1.6; }
figure.chart { margin: 1.5em 0; }
svg text { font: 12px system-ui, sans-serif; fill: #333; }
svg .grid { stroke: #e5e5e5; }
svg .axis { stroke: #888; }
svg .title { font-size: 14px; font-weight: 600; }
svg .readout { font-size: 12px; fill: #000; }
</style>
`

// htmlScript draws the charts of the page's data, then marks each drawn
// figure and the body with data-drawn="1". Hovering a line chart shows the
// value under the pointer.
const htmlScript = `"use strict";
(function () {
  var NS = "http://www.w3.org/2000/svg";
  var W = 880, H = 300, L = 70, R = 20, T = 30, B = 45;
  function el(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }
  function text(s, attrs, parent) { var t = el("text", attrs, parent); t.textContent = s; return t; }
  function fmt(v) {
    if (v === 0) return "0";
    var a = Math.abs(v);
    if (a >= 1e6) return (v / 1e6).toPrecision(3) + "M";
    if (a >= 1e4) return (v / 1e3).toPrecision(3) + "k";
    if (a >= 100) return v.toFixed(0);
    if (a >= 1) return v.toPrecision(3);
    return v.toPrecision(2);
  }
  function niceStep(span) {
    var raw = span / 5, p = Math.pow(10, Math.floor(Math.log10(raw))), m = raw / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
  }
  function lineChart(fig, c) {
    var svg = el("svg", {viewBox: "0 0 " + W + " " + H, width: "100%", role: "img", "aria-label": c.title}, fig);
    text(c.title, {x: L, y: 18, "class": "title"}, svg);
    var xs = [], ys = [];
    c.series.forEach(function (s) { s.points.forEach(function (p) { xs.push(p[0]); ys.push(p[1]); }); });
    if (xs.length === 0) { text("no data", {x: W / 2, y: H / 2, "text-anchor": "middle"}, svg); return svg; }
    var x0 = Math.min.apply(null, xs), x1 = Math.max.apply(null, xs);
    var y1 = Math.max.apply(null, ys);
    if (y1 <= 0) y1 = 1;
    var step = niceStep(y1); y1 = Math.ceil(y1 / step) * step;
    var lx = function (v) { return c.xlog ? Math.log10(Math.max(v, 1e-9)) : v; };
    if (c.xlog) { x0 = 1; }
    if (lx(x1) === lx(x0)) x1 = c.xlog ? x0 * 10 : x0 + 1;
    var sx = function (v) { return L + (lx(v) - lx(x0)) / (lx(x1) - lx(x0)) * (W - L - R); };
    var sy = function (v) { return H - B - v / y1 * (H - T - B); };
    for (var v = 0; v <= y1 + step / 2; v += step) {
      el("line", {x1: L, x2: W - R, y1: sy(v), y2: sy(v), "class": "grid"}, svg);
      text(fmt(v), {x: L - 6, y: sy(v) + 4, "text-anchor": "end"}, svg);
    }
    var ticks = c.xticks;
    if (!ticks) {
      ticks = []; var xs2 = niceStep(x1 - x0);
      for (var t = Math.ceil(x0 / xs2) * xs2; t <= x1; t += xs2) ticks.push({v: t, label: fmt(t)});
    }
    ticks.forEach(function (t) {
      if (t.v < x0 || t.v > x1 * 1.0001) return;
      el("line", {x1: sx(t.v), x2: sx(t.v), y1: T, y2: H - B, "class": "grid"}, svg);
      text(t.label, {x: sx(t.v), y: H - B + 16, "text-anchor": "middle"}, svg);
    });
    el("line", {x1: L, x2: W - R, y1: H - B, y2: H - B, "class": "axis"}, svg);
    el("line", {x1: L, x2: L, y1: T, y2: H - B, "class": "axis"}, svg);
    text(c.xlabel, {x: (L + W - R) / 2, y: H - 6, "text-anchor": "middle"}, svg);
    text(c.ylabel, {x: 14, y: (T + H - B) / 2, "text-anchor": "middle", transform: "rotate(-90 14 " + (T + H - B) / 2 + ")"}, svg);
    var lx0 = L + 10;
    c.series.forEach(function (s) {
      if (s.points.length === 0) return;
      var d = s.points.map(function (p, i) { return (i ? "L" : "M") + sx(p[0]).toFixed(1) + " " + sy(p[1]).toFixed(1); }).join("");
      el("path", {d: d, fill: "none", stroke: s.color, "stroke-width": 2, "class": "series"}, svg);
      if (s.points.length <= 60) s.points.forEach(function (p) { el("circle", {cx: sx(p[0]), cy: sy(p[1]), r: 2.5, fill: s.color}, svg); });
      el("rect", {x: lx0, y: T + 2, width: 10, height: 10, fill: s.color}, svg);
      lx0 += 16 + 7 * text(s.name, {x: lx0 + 14, y: T + 11}, svg).textContent.length + 10;
    });
    var readout = text("", {x: W - R, y: 18, "text-anchor": "end", "class": "readout"}, svg);
    svg.addEventListener("mousemove", function (ev) {
      var r = svg.getBoundingClientRect(), px = (ev.clientX - r.left) / r.width * W;
      var best = null;
      c.series.forEach(function (s) { s.points.forEach(function (p) {
        var dx = Math.abs(sx(p[0]) - px);
        if (best === null || dx < best.dx) best = {dx: dx, p: p, s: s};
      }); });
      if (best) readout.textContent = best.s.name + ": " + fmt(best.p[1]) + " " + c.ylabel + " at " + (c.xlog ? (100 * (1 - 1 / best.p[0])).toPrecision(6) + "%" : fmt(best.p[0]) + " s");
    });
    return svg;
  }
  function barChart(fig, c) {
    var rowH = 26, h = T + c.bars.length * rowH + 30;
    var svg = el("svg", {viewBox: "0 0 " + W + " " + h, width: "100%", role: "img", "aria-label": c.title}, fig);
    text(c.title + (c.note ? " (" + c.note + ")" : ""), {x: L, y: 18, "class": "title"}, svg);
    var top = Math.max.apply(null, c.bars.map(function (b) { return b.value; }).concat([1]));
    c.bars.forEach(function (b, i) {
      var y = T + i * rowH;
      text(b.label, {x: L + 40, y: y + 16, "text-anchor": "end"}, svg);
      el("rect", {x: L + 50, y: y + 4, width: Math.max(b.value / top * (W - L - R - 130), b.value > 0 ? 2 : 0), height: rowH - 8, fill: b.value > 0 ? "#d62728" : "#ccc", "class": "bar"}, svg);
      text(String(b.value), {x: L + 56 + b.value / top * (W - L - R - 130), y: y + 16}, svg);
    });
    return svg;
  }
  var data = JSON.parse(document.getElementById("data").textContent);
  data.charts.forEach(function (c) {
    var fig = document.getElementById(c.id);
    if (c.bars) barChart(fig, c); else lineChart(fig, c);
    fig.setAttribute("data-drawn", "1");
  });
  document.body.setAttribute("data-drawn", String(data.charts.length));
})();
`

// WriteSVGReport writes the report of res as one SVG image (no script):
// the run's figures, then the same four charts as the HTML report, one
// under another. See WriteHTMLReport for cfg and title.
func WriteSVGReport(w io.Writer, res *Result, cfg *Config, title string) error {
	d := buildReport(res, cfg, title)
	const width = 880
	var body bytes.Buffer
	y := 10.0
	fmt.Fprintf(&body, "<text x=\"20\" y=\"%.0f\" class=\"title\">h1 load: %s</text>\n", y+18, html.EscapeString(title))
	y += 30
	for _, s := range d.Summary {
		fmt.Fprintf(&body, "<text x=\"20\" y=\"%.0f\">%s</text>\n", y+14, html.EscapeString(s))
		y += 18
	}
	y += 10
	for i := range d.Charts {
		c := &d.Charts[i]
		fmt.Fprintf(&body, "<g transform=\"translate(0 %.0f)\" id=\"%s\">\n", y, c.ID)
		var h float64
		if c.Bars != nil {
			h = svgBars(&body, c)
		} else {
			h = svgLines(&body, c)
		}
		body.WriteString("</g>\n")
		y += h + 10
	}
	_, err := fmt.Fprintf(w, `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %.0f" width="%d" height="%.0f">
<style>text { font: 12px sans-serif; fill: #333; } .title { font-size: 14px; font-weight: 600; } .grid { stroke: #e5e5e5; } .axis { stroke: #888; }</style>
<rect width="100%%" height="100%%" fill="#fff"/>
%s</svg>
`, width, y, width, y, body.String())
	return err
}

// The geometry of a line chart, as in the HTML report's script.
const (
	svgW, svgH                 = 880.0, 300.0
	svgL, svgR, svgT, svgB     = 70.0, 20.0, 30.0, 45.0
	svgBarRow, svgBarLabelPad  = 26.0, 40.0
	svgBarLeft, svgBarRightPad = svgL + 50, 130.0
)

// niceStep returns a round step that cuts span in about five.
func niceStep(span float64) float64 {
	raw := span / 5
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	switch m := raw / p; {
	case m <= 1:
		return p
	case m <= 2:
		return 2 * p
	case m <= 5:
		return 5 * p
	}
	return 10 * p
}

// fmtNum prints an axis value briefly.
func fmtNum(v float64) string {
	a := math.Abs(v)
	switch {
	case v == 0:
		return "0"
	case a >= 1e6:
		return fmt.Sprintf("%.3gM", v/1e6)
	case a >= 1e4:
		return fmt.Sprintf("%.3gk", v/1e3)
	case a >= 100:
		return fmt.Sprintf("%.0f", v)
	case a >= 1:
		return fmt.Sprintf("%.3g", v)
	}
	return fmt.Sprintf("%.2g", v)
}

// svgLines draws a line chart and returns its height.
func svgLines(b *bytes.Buffer, c *chart) float64 {
	fmt.Fprintf(b, "<text x=\"%.0f\" y=\"18\" class=\"title\">%s</text>\n", svgL, html.EscapeString(c.Title))
	x0, x1, y1 := math.Inf(1), math.Inf(-1), 0.0
	for _, s := range c.Series {
		for _, p := range s.Points {
			x0, x1, y1 = math.Min(x0, p[0]), math.Max(x1, p[0]), math.Max(y1, p[1])
		}
	}
	if math.IsInf(x0, 1) {
		fmt.Fprintf(b, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">no data</text>\n", svgW/2, svgH/2)
		return svgH
	}
	if y1 <= 0 {
		y1 = 1
	}
	step := niceStep(y1)
	y1 = math.Ceil(y1/step) * step
	lx := func(v float64) float64 {
		if c.XLog {
			return math.Log10(math.Max(v, 1e-9))
		}
		return v
	}
	if c.XLog {
		x0 = 1
	}
	if lx(x1) == lx(x0) {
		if c.XLog {
			x1 = x0 * 10
		} else {
			x1 = x0 + 1
		}
	}
	sx := func(v float64) float64 { return svgL + (lx(v)-lx(x0))/(lx(x1)-lx(x0))*(svgW-svgL-svgR) }
	sy := func(v float64) float64 { return svgH - svgB - v/y1*(svgH-svgT-svgB) }
	for v := 0.0; v <= y1+step/2; v += step {
		fmt.Fprintf(b, "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.1f\" y2=\"%.1f\" class=\"grid\"/><text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
			svgL, svgW-svgR, sy(v), sy(v), svgL-6, sy(v)+4, fmtNum(v))
	}
	ticks := c.XTicks
	if ticks == nil {
		st := niceStep(x1 - x0)
		for t := math.Ceil(x0/st) * st; t <= x1; t += st {
			ticks = append(ticks, tick{t, fmtNum(t)})
		}
	}
	for _, t := range ticks {
		if t.V < x0 || t.V > x1*1.0001 {
			continue
		}
		fmt.Fprintf(b, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%.0f\" y2=\"%.0f\" class=\"grid\"/><text x=\"%.1f\" y=\"%.0f\" text-anchor=\"middle\">%s</text>\n",
			sx(t.V), sx(t.V), svgT, svgH-svgB, sx(t.V), svgH-svgB+16, html.EscapeString(t.Label))
	}
	fmt.Fprintf(b, "<line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.0f\" y2=\"%.0f\" class=\"axis\"/><line x1=\"%.0f\" x2=\"%.0f\" y1=\"%.0f\" y2=\"%.0f\" class=\"axis\"/>\n",
		svgL, svgW-svgR, svgH-svgB, svgH-svgB, svgL, svgL, svgT, svgH-svgB)
	fmt.Fprintf(b, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"middle\">%s</text>\n", (svgL+svgW-svgR)/2, svgH-6, html.EscapeString(c.XLabel))
	my := (svgT + svgH - svgB) / 2
	fmt.Fprintf(b, "<text x=\"14\" y=\"%.0f\" text-anchor=\"middle\" transform=\"rotate(-90 14 %.0f)\">%s</text>\n", my, my, html.EscapeString(c.YLabel))
	legend := svgL + 10
	for _, s := range c.Series {
		if len(s.Points) == 0 {
			continue
		}
		b.WriteString("<path fill=\"none\" stroke-width=\"2\" stroke=\"" + s.Color + "\" d=\"")
		for i, p := range s.Points {
			if i == 0 {
				b.WriteByte('M')
			} else {
				b.WriteByte('L')
			}
			fmt.Fprintf(b, "%.1f %.1f", sx(p[0]), sy(p[1]))
		}
		b.WriteString("\"/>\n")
		if len(s.Points) <= 60 {
			for _, p := range s.Points {
				fmt.Fprintf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>", sx(p[0]), sy(p[1]), s.Color)
			}
			b.WriteByte('\n')
		}
		fmt.Fprintf(b, "<rect x=\"%.0f\" y=\"%.0f\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%.0f\" y=\"%.0f\">%s</text>\n",
			legend, svgT+2, s.Color, legend+14, svgT+11, html.EscapeString(s.Name))
		legend += 16 + 7*float64(len(s.Name)) + 10
	}
	return svgH
}

// svgBars draws a bar chart and returns its height.
func svgBars(b *bytes.Buffer, c *chart) float64 {
	title := c.Title
	if c.Note != "" {
		title += " (" + c.Note + ")"
	}
	fmt.Fprintf(b, "<text x=\"%.0f\" y=\"18\" class=\"title\">%s</text>\n", svgL, html.EscapeString(title))
	top := 1.0
	for _, r := range c.Bars {
		top = math.Max(top, r.Value)
	}
	span := svgW - svgL - svgR - svgBarRightPad
	for i, r := range c.Bars {
		y := svgT + float64(i)*svgBarRow
		w := r.Value / top * span
		fill := "#ccc"
		if r.Value > 0 {
			fill, w = "#d62728", math.Max(w, 2)
		}
		fmt.Fprintf(b, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">%s</text><rect x=\"%.0f\" y=\"%.0f\" width=\"%.1f\" height=\"%.0f\" fill=\"%s\"/><text x=\"%.1f\" y=\"%.0f\">%.0f</text>\n",
			svgL+svgBarLabelPad, y+16, html.EscapeString(r.Label), svgBarLeft, y+4, w, svgBarRow-8, fill, svgBarLeft+6+r.Value/top*span, y+16, r.Value)
	}
	return svgT + float64(len(c.Bars))*svgBarRow + 30
}
