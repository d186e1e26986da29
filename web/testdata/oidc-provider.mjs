// A real OpenID Connect provider for the sign-in test: npm oidc-provider
// (OpenID certified), with its development login and consent pages. Any
// login is accepted and is the account's e-mail address; a login that
// starts with "unverified:" has an address the provider did not verify.
// As a conformant provider does, it keeps the e-mail out of the ID token
// and answers it from userinfo.
//
// Usage: node oidc-provider.mjs <redirect URI>; prints the issuer URL.
import http from 'node:http';
import Provider from 'oidc-provider';

const [redirectURI] = process.argv.slice(2);
const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: [{
      client_id: 'traject',
      client_secret: 'traject-secret',
      redirect_uris: [redirectURI],
      response_types: ['code'],
      grant_types: ['authorization_code'],
    }],
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    pkce: { required: () => true },
    async findAccount(ctx, id) {
      const unverified = id.startsWith('unverified:');
      const email = unverified ? id.slice('unverified:'.length) : id;
      return {
        accountId: id,
        async claims() { return { sub: id, email, email_verified: !unverified }; },
      };
    },
  });
  provider.on('server_error', (ctx, err) => console.error('server_error', err));
  server.on('request', provider.callback());
  console.log(issuer);
});
