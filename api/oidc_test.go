package api_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/go-jose/go-jose/v4"

	"github.com/traject-ocmw/traject/api"
)

// issuer is an OpenID Connect provider in process: discovery, keys, and a
// way to sign ID tokens with them.
type issuer struct {
	url    string
	signer jose.Signer
}

func newIssuer(t *testing.T) *issuer {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	iss := &issuer{}
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/openid-configuration", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]any{
			"issuer": iss.url, "jwks_uri": iss.url + "/keys", "authorization_endpoint": iss.url + "/auth",
			"token_endpoint": iss.url + "/token", "id_token_signing_alg_values_supported": []string{"RS256"},
		})
	})
	mux.HandleFunc("/keys", func(w http.ResponseWriter, _ *http.Request) {
		_ = json.NewEncoder(w).Encode(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	iss.url = srv.URL
	iss.signer, err = jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", "k1"))
	if err != nil {
		t.Fatal(err)
	}
	return iss
}

func (iss *issuer) token(t *testing.T, claims map[string]any) string {
	t.Helper()
	base := map[string]any{"iss": iss.url, "aud": "traject", "sub": "s1", "iat": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix()}
	for k, v := range claims {
		base[k] = v
	}
	raw, _ := json.Marshal(base)
	obj, err := iss.signer.Sign(raw)
	if err != nil {
		t.Fatal(err)
	}
	out, err := obj.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// A centre's identity provider: its ID token, for a verified address that
// is an active staff user's, acts as that user; anything else is 401.
func TestOIDCTokens(t *testing.T) {
	iss := newIssuer(t)
	provider, err := oidc.NewProvider(context.Background(), iss.url)
	if err != nil {
		t.Fatal(err)
	}
	a := newAPITestWith(t, func(o *api.Options) { o.OIDC = provider.Verifier(&oidc.Config{ClientID: "traject"}) })
	id := a.create(a.participant())

	other := newIssuer(t) // same claims, keys the service does not trust
	cases := []struct {
		name  string
		token string
		want  int
	}{
		{"the counsellor", iss.token(t, map[string]any{"email": "An@ocmw.example", "email_verified": true}), 200},
		{"another counsellor", iss.token(t, map[string]any{"email": "bram@ocmw.example"}), 404},
		{"expired", iss.token(t, map[string]any{"email": "an@ocmw.example", "exp": time.Now().Add(-time.Minute).Unix()}), 401},
		{"another audience", iss.token(t, map[string]any{"email": "an@ocmw.example", "aud": "payroll"}), 401},
		{"unverified address", iss.token(t, map[string]any{"email": "an@ocmw.example", "email_verified": false}), 401},
		{"unknown address", iss.token(t, map[string]any{"email": "nobody@ocmw.example"}), 401},
		{"untrusted keys", other.token(t, map[string]any{"email": "an@ocmw.example", "iss": iss.url}), 401},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a.tokens["oidc"] = c.token
			if status, raw := a.do("GET", "/v1/participants/"+id, "oidc", nil); status != c.want {
				t.Errorf("%d, want %d: %s", status, c.want, raw)
			}
		})
	}
}
