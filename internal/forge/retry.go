package forge

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// RetryPolicy bounds the client's retries. A request is retried when GitHub
// answers 429 (go-github v60 does not classify it) or 403 for a secondary
// rate limit (documentation_url "…secondary-rate-limits" or
// "…abuse-rate-limits", or a Retry-After header), which GitHub answers
// without applying it; an idempotent one (not a POST) also on 500, 502,
// 503 or 504 and on a transport error (connection refused or reset, DNS,
// timeout), a POST on a transport error only when no connection was made. The wait is Retry-After
// when given, else until x-ratelimit-reset when x-ratelimit-remaining is 0,
// else a jittered exponential back-off from BaseDelay (secondary limits
// without a hint wait a minute, as GitHub asks). A primary rate limit (403
// with x-ratelimit-remaining 0 and no Retry-After) is retried only when its
// reset lies within MaxWait.
type RetryPolicy struct {
	// Attempts is the most tries of one request, the first included.
	Attempts int
	// BaseDelay is the first back-off after a 5xx without Retry-After or a
	// transport error.
	BaseDelay time.Duration
	// MaxWait caps one wait and the total wait of one request: a limit that
	// asks for longer is returned as the error it is.
	MaxWait time.Duration
	// Sleep waits d or until ctx ends; nil means a timer. Tests replace it.
	Sleep func(ctx context.Context, d time.Duration) error
	// Now is the clock for x-ratelimit-reset; nil means time.Now.
	Now func() time.Time
}

// DefaultRetryPolicy returns the policy used for the zero RetryPolicy: 4
// attempts, 1 s base back-off, at most 2 minutes of waiting per request.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{Attempts: 4, BaseDelay: time.Second, MaxWait: 2 * time.Minute}
}

// secondaryDefault is the wait after a secondary rate limit that names no
// time: "wait at least one minute" in GitHub's REST documentation.
const secondaryDefault = time.Minute

func (p RetryPolicy) withDefaults() RetryPolicy {
	d := DefaultRetryPolicy()
	if p.Attempts > 0 {
		d.Attempts = p.Attempts
	}
	if p.BaseDelay > 0 {
		d.BaseDelay = p.BaseDelay
	}
	if p.MaxWait > 0 {
		d.MaxWait = p.MaxWait
	}
	d.Sleep, d.Now = p.Sleep, p.Now
	if d.Sleep == nil {
		d.Sleep = sleepCtx
	}
	if d.Now == nil {
		d.Now = time.Now
	}
	return d
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// retryTransport retries requests under a RetryPolicy.
type retryTransport struct {
	base   http.RoundTripper
	policy RetryPolicy
	log    *slog.Logger
	calls  *atomic.Int64 // requests sent, retries included; may be nil
}

// maxErrorBody caps how much of an error response is read to classify it.
const maxErrorBody = 64 << 10

func (t *retryTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var waited time.Duration
	for attempt := 1; ; attempt++ {
		if attempt > 1 && req.Body != nil && req.GetBody != nil {
			body, err := req.GetBody()
			if err != nil {
				return nil, fmt.Errorf("retrying %s %s: %w", req.Method, req.URL.Path, err)
			}
			req = req.Clone(req.Context())
			req.Body = body
		}
		if t.calls != nil {
			t.calls.Add(1)
		}
		resp, err := t.base.RoundTrip(req)
		if err != nil {
			wait := t.backoff(attempt)
			if !retryTransportError(req, err) || attempt >= t.policy.Attempts || (req.Body != nil && req.GetBody == nil) ||
				waited+wait > t.policy.MaxWait {
				return nil, err
			}
			t.log.Debug("github api: retrying", "method", req.Method, "path", req.URL.Path,
				"error", err, "attempt", attempt, "wait", wait)
			if err := t.policy.Sleep(req.Context(), wait); err != nil {
				return nil, fmt.Errorf("retrying %s %s: %w", req.Method, req.URL.Path, err)
			}
			waited += wait
			continue
		}
		wait, retry := t.classify(req, resp, attempt)
		if !retry || attempt >= t.policy.Attempts || (req.Body != nil && req.GetBody == nil) {
			return resp, nil
		}
		if wait > t.policy.MaxWait || waited+wait > t.policy.MaxWait {
			return resp, nil
		}
		t.log.Debug("github api: retrying", "method", req.Method, "path", req.URL.Path,
			"status", resp.StatusCode, "attempt", attempt, "wait", wait)
		drain(resp)
		if err := t.policy.Sleep(req.Context(), wait); err != nil {
			return nil, fmt.Errorf("retrying %s %s: %w", req.Method, req.URL.Path, err)
		}
		waited += wait
	}
}

// idempotent reports whether sending req twice does what sending it once
// does: GET, HEAD, OPTIONS, PUT, DELETE, and PATCH, by which GitHub's API
// sets fields to the values given (a comment's body, a check run's
// conclusion, an issue's state), so that a repeated one changes nothing
// more. A POST creates something each time.
func idempotent(req *http.Request) bool {
	switch req.Method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete, http.MethodPatch:
		return true
	}
	return false
}

// retryTransportError reports whether a request that failed with err
// before any response came (connection refused or reset, DNS, timeout) is
// tried again: an idempotent one always, a POST only when no connection
// was made (a failed dial), so that GitHub never saw it. A cancelled
// request is not.
func retryTransportError(req *http.Request, err error) bool {
	if req.Context().Err() != nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	if idempotent(req) {
		return true
	}
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// drain discards and closes a response that will be retried.
func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
	_ = resp.Body.Close()
}

// classify says whether resp, the answer to req, should be retried and
// after how long. It may replace resp.Body with an equivalent buffered
// reader. A server error is retried for an idempotent request only: a
// POST that got one may have been applied.
func (t *retryTransport) classify(req *http.Request, resp *http.Response, attempt int) (time.Duration, bool) {
	code := resp.StatusCode
	backoff := t.backoff(attempt)
	switch {
	case code == http.StatusInternalServerError, code == http.StatusBadGateway,
		code == http.StatusServiceUnavailable, code == http.StatusGatewayTimeout:
		if !idempotent(req) {
			return 0, false
		}
		if d, ok := retryAfter(resp.Header, t.policy.Now()); ok {
			return d, true
		}
		return backoff, true
	case code == http.StatusTooManyRequests:
		if d, ok := retryAfter(resp.Header, t.policy.Now()); ok {
			return d, true
		}
		if d, ok := rateReset(resp.Header, t.policy.Now()); ok {
			return d, true
		}
		return secondaryDefault, true
	case code == http.StatusForbidden:
		if d, ok := retryAfter(resp.Header, t.policy.Now()); ok {
			return d, true
		}
		if secondaryLimit(resp) {
			if d, ok := rateReset(resp.Header, t.policy.Now()); ok {
				return d, true
			}
			return secondaryDefault, true
		}
		if resp.Header.Get("X-RateLimit-Remaining") == "0" {
			if d, ok := rateReset(resp.Header, t.policy.Now()); ok {
				return d, true
			}
		}
	}
	return 0, false
}

// backoff is BaseDelay·2^(attempt-1) with ±25 % jitter.
func (t *retryTransport) backoff(attempt int) time.Duration {
	d := t.policy.BaseDelay << (attempt - 1)
	j := time.Duration(rand.Int64N(int64(d)/2+1)) - d/4
	return d + j
}

// secondaryLimit reports whether a 403 is a secondary rate limit, by the
// documentation_url GitHub puts in its body (read and put back).
func secondaryLimit(resp *http.Response) bool {
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(b))
	if err != nil {
		return false
	}
	s := string(b)
	return strings.Contains(s, "secondary-rate-limits") || strings.Contains(s, "abuse-rate-limits") ||
		strings.Contains(s, "secondary rate limit")
}

// retryAfter reads Retry-After as seconds or an HTTP date.
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second, true
	}
	if at, err := http.ParseTime(v); err == nil {
		return max(at.Sub(now), 0), true
	}
	return 0, false
}

// rateReset reads x-ratelimit-reset (Unix seconds) as a wait from now.
func rateReset(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("X-RateLimit-Reset"))
	if v == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, false
	}
	// One extra second: the reset is truncated to whole seconds.
	return max(time.Unix(n, 0).Sub(now), 0) + time.Second, true
}
