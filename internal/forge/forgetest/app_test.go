package forgetest

import (
	"crypto/rand"
	"crypto/rsa"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v4"
)

// TestAppAuth proves the fake refuses what GitHub refuses: JWTs that are
// forged, expired, too long-lived or for another app, tokens it did not
// mint or that expired, and issue bodies over the limit.
func TestAppAuth(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	s := New(t, Options{Repository: "o/r"})
	s.AddApp(App{ID: 42, PublicKey: &key.PublicKey, InstallationID: 7, TokenTTL: 2 * time.Second})
	sign := func(k *rsa.PrivateKey, iss string, iat, exp time.Duration) string {
		now := time.Now()
		tok, err := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.RegisteredClaims{Issuer: iss,
			IssuedAt: jwt.NewNumericDate(now.Add(iat)), ExpiresAt: jwt.NewNumericDate(now.Add(exp))}).SignedString(k)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	do := func(method, path, auth, body string) (int, string) {
		t.Helper()
		req, err := http.NewRequest(method, s.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		req.Header.Set("Accept", "application/vnd.github+json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, string(b)
	}
	for name, auth := range map[string]string{
		"no credentials":  "",
		"forged":          "Bearer " + sign(other, "42", -time.Minute, 5*time.Minute),
		"expired":         "Bearer " + sign(key, "42", -20*time.Minute, -10*time.Minute),
		"exp too far":     "Bearer " + sign(key, "42", -time.Minute, time.Hour),
		"another app":     "Bearer " + sign(key, "43", -time.Minute, 5*time.Minute),
		"token, not JWT":  "token ghs_made_up",
		"issued in a bit": "Bearer " + sign(key, "42", 5*time.Minute, 9*time.Minute),
	} {
		if code, _ := do("POST", "/app/installations/7/access_tokens", auth, ""); code != http.StatusUnauthorized {
			t.Errorf("%s: got %d; want 401", name, code)
		}
	}
	good := "Bearer " + sign(key, "42", -30*time.Second, 2*time.Minute)
	if code, _ := do("POST", "/app/installations/8/access_tokens", good, ""); code != http.StatusNotFound {
		t.Errorf("another installation: got %d; want 404", code)
	}
	if code, _ := do("POST", "/app/installations/7/access_tokens", good, `{"repositories":["elsewhere"]}`); code != http.StatusUnprocessableEntity {
		t.Errorf("token for another repository: got %d; want 422", code)
	}
	if code, _ := do("GET", "/repos/o/r/issues", good, ""); code != http.StatusUnauthorized {
		t.Errorf("JWT on a repository endpoint: got %d; want 401", code)
	}
	if code, body := do("POST", "/app/installations/7/access_tokens", good, `{"repositories":["r"]}`); code != http.StatusCreated {
		t.Fatalf("mint: got %d %s", code, body)
	}
	tok := "token " + s.Minted()[0].Token
	if code, body := do("POST", "/repos/o/r/issues", tok, `{"title":"t","body":"`+strings.Repeat("x", 65537)+`"}`); code != http.StatusUnprocessableEntity {
		t.Errorf("over-long issue body: got %d %.200s; want 422", code, body)
	}
	if code, body := do("GET", "/repos/o/r/issues?labels=a,b&state=all", tok, ""); code != http.StatusOK {
		t.Errorf("with the minted token: got %d %s", code, body)
	}
	time.Sleep(2100 * time.Millisecond)
	if code, _ := do("GET", "/repos/o/r/issues", tok, ""); code != http.StatusUnauthorized {
		t.Errorf("expired token: got %d; want 401", code)
	}
}
