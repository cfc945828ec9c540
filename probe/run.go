package probe

import (
	"context"
)

// Verdict is what a case's outcome means.
type Verdict string

// The verdicts of a case.
const (
	// Pass: the outcome is one the case accepts.
	Pass Verdict = "pass"
	// Fail: the outcome is not acceptable and the case is a MUST.
	Fail Verdict = "fail"
	// Warn: the outcome is not acceptable and the case is a SHOULD or MAY.
	Warn Verdict = "warn"
	// Error: nothing could be sent (connect or TLS failure).
	Error Verdict = "error"
)

// Result is one case run against one target.
type Result struct {
	// Case is the case that ran.
	Case *Case `json:"-"`
	// Target is where it ran.
	Target Target `json:"-"`
	// Outcome is what happened.
	Outcome Outcome `json:"outcome"`
	// Verdict is what it means.
	Verdict Verdict `json:"verdict"`
	// Err is the error when nothing could be sent.
	Err error `json:"-"`
}

// Judge returns the verdict on an outcome of c.
func (c *Case) Judge(o *Outcome) Verdict {
	if c.Expect.Match(o) {
		return Pass
	}
	if c.Level == LevelMust {
		return Fail
	}
	return Warn
}

// Run sends c to t (with host and path for {host} and {path}) and judges
// the outcome. A connect or TLS failure is the Error verdict with Err set.
func Run(ctx context.Context, t Target, path string, c *Case, opts Options) Result {
	return RunBytes(ctx, t, c.Bytes(t.HostHeader(), path), c, opts)
}

// Signature is the outcome's Signature, or "error" when nothing could be
// sent.
func (r *Result) Signature() string {
	if r.Err != nil {
		return "error"
	}
	return r.Outcome.Signature()
}

// RunBytes sends raw to t and returns the result, judged against c when c
// is not nil (a mutated case has no verdict: Verdict is empty).
func RunBytes(ctx context.Context, t Target, raw []byte, c *Case, opts Options) Result {
	r := Result{Case: c, Target: t}
	r.Outcome, r.Err = SendRaw(ctx, t, raw, opts)
	switch {
	case r.Err != nil:
		r.Verdict = Error
	case c != nil:
		r.Verdict = c.Judge(&r.Outcome)
	}
	return r
}
