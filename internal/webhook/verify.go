package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// signaturePrefix is the algorithm tag GitHub puts before the hex digest in
// X-Hub-Signature-256.
const signaturePrefix = "sha256="

// Verify reports whether signature, the value of an X-Hub-Signature-256
// header ("sha256=<hex>"), is the HMAC-SHA256 of body under secret. The
// comparison is constant time (hmac.Equal). An empty secret, an absent or
// malformed signature, or a digest of the wrong length is false.
func Verify(secret, body []byte, signature string) bool {
	if len(secret) == 0 || !strings.HasPrefix(signature, signaturePrefix) {
		return false
	}
	got, err := hex.DecodeString(signature[len(signaturePrefix):])
	if err != nil || len(got) != sha256.Size {
		return false
	}
	return hmac.Equal(got, sign(secret, body))
}

// sign returns the raw HMAC-SHA256 of body under secret; Signature formats
// it as GitHub does.
func sign(secret, body []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return m.Sum(nil)
}

// Signature returns the X-Hub-Signature-256 header value GitHub would send
// for body under secret. Tests and local tools use it to sign deliveries.
func Signature(secret, body []byte) string {
	return signaturePrefix + hex.EncodeToString(sign(secret, body))
}
