// Generates adversarial (and control) Cognito-style tokens with fresh RSA keys, using only Node's
// built-in crypto. Usage: node tests/jwt/gen-adversarial.mjs <outfile.json>
//
// Output: a JSON array of cases
//   { name, token, jwks (the JWKS document as a string), expect: "accept" | "<TokenError code>",
//     token_use: "id" | "access", now, client_id, issuers, skew, required_groups, required_scopes }
// tests/jwt_adversarial.rs runs every case through Jwks::parse + verify and asserts the exact code.
// Keys are generated on every run, so nothing here is a fixture that could go stale.

import {
  createHash,
  createHmac,
  generateKeyPairSync,
  sign,
  constants,
} from 'node:crypto';
import { writeFileSync } from 'node:fs';

const outfile = process.argv[2];
if (!outfile) {
  console.error('usage: node gen-adversarial.mjs <outfile.json>');
  process.exit(2);
}

const NOW = 1_700_000_000;
const REGION = 'us-east-1';
const POOL = 'us-east-1_AbCdEf123';
const ISSUER = `https://cognito-idp.${REGION}.amazonaws.com/${POOL}`;
const ISSUER_NEW = `https://issuer-cognito-idp.${REGION}.amazonaws.com/${POOL}`;
const CLIENT = '1example23456789abcdefghij';

// Cognito kids are standard base64 (with + / =).
const KID_A = 'ZZ+tb/x1K5vrM9mYqY7gS3Fh0A+o6kdHt4eXq1xY2nA=';
const KID_B = '4amELhrqBWOjtW1t8SQhUL66eVLMA4xMJCT6m+ZHAHE=';

const b64u = (bytes) => Buffer.from(bytes).toString('base64url');
const rsa = (bits, publicExponent = 65537) =>
  generateKeyPairSync('rsa', { modulusLength: bits, publicExponent });

const keyA = rsa(2048);
const keyB = rsa(2048);
const key4096 = rsa(4096);
const key1024 = rsa(1024);
const keyE3 = rsa(2048, 3);
const attacker = rsa(2048);
const ecKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });

function jwkOf(pair, kid, extra = {}) {
  const { n, e } = pair.publicKey.export({ format: 'jwk' });
  return { alg: 'RS256', e, kid, kty: 'RSA', n, use: 'sig', ...extra };
}

const jwkA = jwkOf(keyA, KID_A);
const jwkB = jwkOf(keyB, KID_B);
const JWKS = JSON.stringify({ keys: [jwkA, jwkB] });
const jwksWith = (...keys) => JSON.stringify({ keys: [jwkA, jwkB, ...keys] });

const idClaims = (over = {}) => ({
  sub: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  'cognito:groups': ['admins', 'editors'],
  email_verified: true,
  iss: ISSUER,
  'cognito:username': 'alice',
  origin_jti: '11111111-2222-3333-4444-555555555555',
  aud: CLIENT,
  event_id: '66666666-7777-8888-9999-000000000000',
  token_use: 'id',
  auth_time: NOW - 600,
  exp: NOW + 3000,
  iat: NOW - 600,
  jti: '99999999-8888-7777-6666-555555555555',
  email: 'alice@example.com',
  ...over,
});

const accessClaims = (over = {}) => ({
  sub: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
  'cognito:groups': ['admins', 'editors'],
  iss: ISSUER,
  client_id: CLIENT,
  origin_jti: '11111111-2222-3333-4444-555555555555',
  event_id: '66666666-7777-8888-9999-000000000000',
  token_use: 'access',
  scope: 'openid profile aws.cognito.signin.user.admin',
  auth_time: NOW - 600,
  exp: NOW + 3000,
  iat: NOW - 600,
  jti: '99999999-8888-7777-6666-555555555555',
  username: 'alice',
  ...over,
});

const rs256 = (input, pair = keyA) => sign('sha256', Buffer.from(input), pair.privateKey);

/**
 * Builds a compact token. Segments can be given raw (h, p, s) to test encodings; the signature is
 * computed over whatever `h.p` ends up being unless `s` or `sig` is given.
 */
function token({
  header = { kid: KID_A, alg: 'RS256' },
  claims = idClaims(),
  headerText,
  payloadText,
  payloadBytes,
  h,
  p,
  pair = keyA,
  signer,
  sig,
  s,
} = {}) {
  const hs = h ?? b64u(Buffer.from(headerText ?? JSON.stringify(header)));
  const ps = p ?? b64u(payloadBytes ?? Buffer.from(payloadText ?? JSON.stringify(claims)));
  const input = `${hs}.${ps}`;
  if (s !== undefined) return `${input}.${s}`;
  const signature = sig ?? (signer ? signer(input) : rs256(input, pair));
  return `${input}.${b64u(signature)}`;
}

/** Flips an unused trailing bit of a base64url segment: same bytes for a lenient decoder. */
function nonCanonical(segment) {
  const rem = segment.length % 4;
  if (rem !== 2 && rem !== 3) throw new Error(`segment has no unused bits (length ${segment.length})`);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  const last = alphabet.indexOf(segment[segment.length - 1]);
  return segment.slice(0, -1) + alphabet[last | 1];
}

/** A payload segment whose length leaves unused bits (pads a claim until it does). */
function payloadWithUnusedBits(claims) {
  for (let i = 0; ; i++) {
    const seg = b64u(Buffer.from(JSON.stringify({ ...claims, pad: 'x'.repeat(i) })));
    if (seg.length % 4 === 2 || seg.length % 4 === 3) return seg;
  }
}

/** PKCS#1 v1.5 encoded message for SHA-256: with e = 1 this *is* the "signature". */
function emsaPkcs1Sha256(input, modulusBytes) {
  const digestInfo = Buffer.concat([
    Buffer.from('3031300d060960864801650304020105000420', 'hex'),
    createHash('sha256').update(input).digest(),
  ]);
  const ps = Buffer.alloc(modulusBytes - digestInfo.length - 3, 0xff);
  return Buffer.concat([Buffer.from([0, 1]), ps, Buffer.from([0]), digestInfo]);
}

const cases = [];
function add(name, expect, tok, opts = {}) {
  if (cases.some((c) => c.name === name)) throw new Error(`duplicate case name ${name}`);
  cases.push({
    name,
    token: tok,
    jwks: opts.jwks ?? JWKS,
    expect,
    token_use: opts.token_use ?? 'id',
    now: opts.now ?? NOW,
    client_id: opts.client_id ?? CLIENT,
    issuers: opts.issuers ?? [ISSUER],
    skew: opts.skew ?? 0,
    required_groups: opts.required_groups ?? [],
    required_scopes: opts.required_scopes ?? [],
  });
}
const access = { token_use: 'access' };

// ---------------------------------------------------------------- accept controls
add('accept_id_token', 'accept', token());
add('accept_access_token', 'accept', token({ claims: accessClaims() }), access);
add('accept_second_key', 'accept', token({ header: { kid: KID_B, alg: 'RS256' }, pair: keyB }));
add('accept_kid_with_plus_slash_equals', 'accept', token({ header: { alg: 'RS256', kid: KID_A } }));
add(
  'accept_iss_with_escaped_slashes',
  'accept',
  token({
    payloadText: JSON.stringify(idClaims()).replace(
      `"iss":"${ISSUER}"`,
      `"iss":"${ISSUER.replaceAll('/', '\\/')}"`,
    ),
  }),
);
add('accept_issuer_cognito_idp_when_configured', 'accept', token({ claims: idClaims({ iss: ISSUER_NEW }) }), {
  issuers: [ISSUER, ISSUER_NEW],
});
add(
  'accept_groups_and_scopes_required_and_present',
  'accept',
  token({ claims: accessClaims() }),
  { ...access, required_groups: ['editors', 'admins'], required_scopes: ['aws.cognito.signin.user.admin', 'openid'] },
);
add('accept_group_required_on_id_token', 'accept', token(), { required_groups: ['admins'] });
add('accept_expired_within_skew', 'accept', token({ claims: idClaims({ exp: NOW - 30 }) }), { skew: 60 });
add('accept_iat_future_within_skew', 'accept', token({ claims: idClaims({ iat: NOW + 30 }) }), { skew: 60 });
add('accept_nbf_past', 'accept', token({ claims: idClaims({ nbf: NOW - 600 }) }));
add('accept_lifetime_exactly_one_day', 'accept', token({ claims: idClaims({ iat: NOW - 100, exp: NOW - 100 + 86400 }) }));
add('accept_4096_bit_key', 'accept', token({ header: { kid: 'big', alg: 'RS256' }, pair: key4096 }), {
  jwks: jwksWith(jwkOf(key4096, 'big')),
});
add('accept_jwk_without_use_and_alg', 'accept', token({ header: { kid: 'bare', alg: 'RS256' } }), {
  jwks: JSON.stringify({ keys: [(({ use, alg, ...rest }) => ({ ...rest, kid: 'bare' }))(jwkA)] }),
});
add('accept_typ_jwt_header', 'accept', token({ header: { typ: 'JWT', alg: 'RS256', kid: KID_A } }));
add('accept_unicode_claims', 'accept', token({ claims: idClaims({ name: 'Zoë \u{1F600} \\ "q"' }) }));
add('accept_weak_key_present_but_unused', 'accept', token(), { jwks: jwksWith(jwkOf(key1024, 'weak')) });

// ---------------------------------------------------------------- algorithm
add('alg_none_empty_signature', 'JwtMalformed', token({ header: { alg: 'none', kid: KID_A }, s: '' }));
add('alg_none_with_signature', 'JwtInvalidAlgorithm', token({ header: { alg: 'none', kid: KID_A } }));
add('alg_None_mixed_case', 'JwtInvalidAlgorithm', token({ header: { alg: 'None', kid: KID_A } }));
add('alg_lowercase_rs256', 'JwtInvalidAlgorithm', token({ header: { alg: 'rs256', kid: KID_A } }));
add('alg_missing', 'JwtInvalidAlgorithm', token({ header: { kid: KID_A } }));
add('alg_array', 'JwtInvalidAlgorithm', token({ header: { alg: ['RS256'], kid: KID_A } }));
const pemA = keyA.publicKey.export({ type: 'spki', format: 'pem' });
add(
  'hs256_key_confusion_with_public_pem',
  'JwtInvalidAlgorithm',
  token({ header: { alg: 'HS256', kid: KID_A }, signer: (i) => createHmac('sha256', pemA).update(i).digest() }),
);
add(
  'hs256_key_confusion_with_modulus_bytes',
  'JwtInvalidAlgorithm',
  token({
    header: { alg: 'HS256', kid: KID_A },
    signer: (i) => createHmac('sha256', Buffer.from(jwkA.n, 'base64url')).update(i).digest(),
  }),
);
add('rs384', 'JwtInvalidAlgorithm', token({ header: { alg: 'RS384', kid: KID_A }, signer: (i) => sign('sha384', Buffer.from(i), keyA.privateKey) }));
add('rs512', 'JwtInvalidAlgorithm', token({ header: { alg: 'RS512', kid: KID_A }, signer: (i) => sign('sha512', Buffer.from(i), keyA.privateKey) }));
const pss = (i) =>
  sign('sha256', Buffer.from(i), { key: keyA.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
add('ps256', 'JwtInvalidAlgorithm', token({ header: { alg: 'PS256', kid: KID_A }, signer: pss }));
add('ps256_signature_labelled_rs256', 'JwtInvalidSignature', token({ signer: pss }));
add(
  'es256',
  'JwtInvalidAlgorithm',
  token({
    header: { alg: 'ES256', kid: KID_A },
    signer: (i) => sign('sha256', Buffer.from(i), { key: ecKey.privateKey, dsaEncoding: 'ieee-p1363' }),
  }),
);

// ---------------------------------------------------------------- kid
add('kid_missing', 'JwtMissingKid', token({ header: { alg: 'RS256' } }));
add('kid_number', 'JwtMissingKid', token({ header: { alg: 'RS256', kid: 1 } }));
add('kid_null', 'JwtMissingKid', token({ header: { alg: 'RS256', kid: null } }));
add('kid_unknown', 'KidNotFound', token({ header: { alg: 'RS256', kid: 'unknown' } }));
add('kid_base64url_variant', 'KidNotFound', token({ header: { alg: 'RS256', kid: KID_A.replaceAll('+', '-').replaceAll('/', '_') } }));
add('kid_without_padding', 'KidNotFound', token({ header: { alg: 'RS256', kid: KID_A.replace(/=+$/, '') } }));

// ---------------------------------------------------------------- refused header parameters
add('crit_b64', 'JwtUnsupportedHeader', token({ header: { alg: 'RS256', kid: KID_A, b64: false, crit: ['b64'] } }));
add('crit_unknown_extension', 'JwtUnsupportedHeader', token({ header: { alg: 'RS256', kid: KID_A, crit: ['exp'], exp: NOW } }));
add('crit_empty', 'JwtUnsupportedHeader', token({ header: { alg: 'RS256', kid: KID_A, crit: [] } }));
add('jku_injection', 'JwtUnsupportedHeader', token({ header: { alg: 'RS256', kid: 'a', jku: 'https://evil.example/jwks.json' }, pair: attacker }));
add('x5u_injection', 'JwtUnsupportedHeader', token({ header: { alg: 'RS256', kid: KID_A, x5u: 'https://evil.example/cert.pem' }, pair: attacker }));
add('jwk_injection', 'JwtUnsupportedHeader', token({ header: { alg: 'RS256', kid: KID_A, jwk: jwkOf(attacker, KID_A) }, pair: attacker }));
const attackerDer = attacker.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
add('x5c_injection', 'JwtUnsupportedHeader', token({ header: { alg: 'RS256', kid: KID_A, x5c: [attackerDer] }, pair: attacker }));

// ---------------------------------------------------------------- encoding and segments
{
  const good = token();
  const [h, p, s] = good.split('.');
  add('padded_header', 'JwtMalformed', token({ h: `${h}${'='.repeat((4 - (h.length % 4)) % 4 || 4)}`, p }));
  add('padded_payload', 'JwtMalformed', token({ h, p: `${p}${'='.repeat((4 - (p.length % 4)) % 4 || 4)}` }));
  add('padded_signature', 'JwtMalformed', `${h}.${p}.${s}==`);
  add('non_canonical_signature_trailing_bits', 'JwtMalformed', `${h}.${p}.${nonCanonical(s)}`);
  add('non_canonical_payload_trailing_bits_signed', 'JwtMalformed', token({ h, p: nonCanonical(payloadWithUnusedBits(idClaims())) }));
  const std = Buffer.from(s, 'base64url').toString('base64').replace(/=+$/, '');
  add('standard_base64_alphabet_signature', 'JwtMalformed', `${h}.${p}.${std === s ? `${s.slice(0, -2)}+/` : std}`);
  add('newline_in_token', 'JwtMalformed', `${h}.${p.slice(0, 10)}\n${p.slice(10)}.${s}`);
  add('trailing_newline', 'JwtMalformed', `${good}\n`);
  add('space_in_signature', 'JwtMalformed', `${h}.${p}.${s.slice(0, 20)} ${s.slice(20)}`);
  add('bearer_prefix', 'JwtMalformed', `Bearer ${good}`);
  add('four_segments', 'JwtMalformed', `${good}.${s}`);
  add('two_segments', 'JwtMalformed', `${h}.${p}`);
  add('one_segment', 'JwtMalformed', h);
  add('empty_token', 'JwtMalformed', '');
  add('empty_header_segment', 'JwtMalformed', `.${p}.${s}`);
  add('empty_payload_segment', 'JwtMalformed', token({ h, p: '' }));
  add('empty_signature_segment', 'JwtMalformed', `${h}.${p}.`);
  add('jwe_five_segments', 'JwtMalformed', `${h}.${p}.${s}.${s}.${s}`);
  add('header_not_json', 'JwtMalformed', token({ headerText: 'RS256' }));
  add('header_json_array', 'JwtMalformed', token({ headerText: `["RS256","${KID_A}"]` }));
  add('header_duplicate_alg', 'JwtMalformed', token({ headerText: `{"alg":"none","alg":"RS256","kid":"${KID_A}"}` }));
  add('header_duplicate_kid', 'JwtMalformed', token({ headerText: `{"alg":"RS256","kid":"unknown","kid":"${KID_A}"}` }));
}

// ---------------------------------------------------------------- signature
{
  const good = token();
  const [h, p, s] = good.split('.');
  const sig = Buffer.from(s, 'base64url');
  add('signature_truncated_one_byte', 'JwtInvalidSignature', token({ h, p, sig: sig.subarray(1) }));
  add('signature_leading_zero_added', 'JwtInvalidSignature', token({ h, p, sig: Buffer.concat([Buffer.from([0]), sig]) }));
  add('signature_equal_to_modulus', 'JwtInvalidSignature', token({ h, p, sig: Buffer.from(jwkA.n, 'base64url') }));
  add('signature_all_ones', 'JwtInvalidSignature', token({ h, p, sig: Buffer.alloc(256, 0xff) }));
  add('signature_all_zero', 'JwtInvalidSignature', token({ h, p, sig: Buffer.alloc(256, 0) }));
  add('signature_one', 'JwtInvalidSignature', token({ h, p, sig: Buffer.concat([Buffer.alloc(255, 0), Buffer.from([1])]) }));
  add('signature_by_other_key', 'JwtInvalidSignature', token({ pair: keyB }));
  add('signature_by_attacker', 'JwtInvalidSignature', token({ pair: attacker }));
  const flipped = Buffer.from(sig);
  flipped[100] ^= 0x01;
  add('signature_bit_flipped', 'JwtInvalidSignature', token({ h, p, sig: flipped }));
  const otherPayload = b64u(Buffer.from(JSON.stringify(idClaims({ 'cognito:groups': ['admins', 'root'] }))));
  add('payload_swapped_after_signing', 'JwtInvalidSignature', `${h}.${otherPayload}.${s}`);
  const reencodedHeader = b64u(Buffer.from(`{"alg":"RS256", "kid":"${KID_A}"}`));
  add('header_reencoded_after_signing', 'JwtInvalidSignature', `${reencodedHeader}.${p}.${s}`);
  const signedAsId = token({ claims: accessClaims() });
  add('signature_over_other_token', 'JwtInvalidSignature', `${h}.${p}.${signedAsId.split('.')[2]}`);
}

// ---------------------------------------------------------------- keys and key sets
add('jwk_1024_bit', 'JwkWeakKey', token({ header: { alg: 'RS256', kid: 'weak' }, pair: key1024 }), {
  jwks: jwksWith(jwkOf(key1024, 'weak')),
});
add('jwk_e_3', 'JwkWeakKey', token({ header: { alg: 'RS256', kid: 'e3' }, pair: keyE3 }), {
  jwks: jwksWith(jwkOf(keyE3, 'e3')),
});
{
  // e = 1: s^e mod n = s, so the "signature" is just the padded digest; anyone can forge it.
  const header = b64u(Buffer.from(JSON.stringify({ alg: 'RS256', kid: 'e1' })));
  const payload = b64u(Buffer.from(JSON.stringify(idClaims())));
  const forged = emsaPkcs1Sha256(`${header}.${payload}`, 256);
  add('jwk_e_1_forged_signature', 'JwkWeakKey', `${header}.${payload}.${b64u(forged)}`, {
    jwks: jwksWith({ ...jwkA, kid: 'e1', e: 'AQ' }),
  });
}
add('jwks_duplicate_kids', 'JwksInvalid', token(), { jwks: JSON.stringify({ keys: [jwkA, { ...jwkB, kid: KID_A }] }) });
add('jwks_duplicate_kids_same_key', 'JwksInvalid', token(), { jwks: JSON.stringify({ keys: [jwkA, jwkA] }) });
add('jwks_not_json', 'JwksInvalid', token(), { jwks: '<html>502 Bad Gateway</html>' });
add('jwks_empty', 'JwksInvalid', token(), { jwks: '{"keys":[]}' });
add('jwks_duplicate_keys_member', 'JwksInvalid', token(), { jwks: `{"keys":[${JSON.stringify(jwkA)}],"keys":[]}` });
add('jwk_use_enc', 'JwkInvalid', token(), { jwks: JSON.stringify({ keys: [{ ...jwkA, use: 'enc' }] }) });
add('jwk_alg_rs384', 'JwkInvalid', token(), { jwks: JSON.stringify({ keys: [{ ...jwkA, alg: 'RS384' }] }) });
add('jwk_alg_hs256', 'JwkInvalid', token(), { jwks: JSON.stringify({ keys: [{ ...jwkA, alg: 'HS256' }] }) });
add('jwk_kty_ec', 'JwkInvalid', token(), {
  jwks: JSON.stringify({ keys: [{ ...ecKey.publicKey.export({ format: 'jwk' }), kid: KID_A, use: 'sig', alg: 'ES256' }] }),
});
add('jwk_kty_oct', 'JwkInvalid', token(), { jwks: JSON.stringify({ keys: [{ kty: 'oct', kid: KID_A, k: jwkA.n }] }) });
add('jwk_n_leading_zero', 'JwkInvalid', token(), {
  jwks: JSON.stringify({ keys: [{ ...jwkA, n: b64u(Buffer.concat([Buffer.from([0]), Buffer.from(jwkA.n, 'base64url')])) }] }),
});
add('jwk_n_padded', 'JwkInvalid', token(), { jwks: JSON.stringify({ keys: [{ ...jwkA, n: `${jwkA.n}==` }] }) });

// ---------------------------------------------------------------- time
add('expired', 'JwtExpired', token({ claims: idClaims({ iat: NOW - 7200, exp: NOW - 3600 }) }));
add('expired_at_exactly_now', 'JwtExpired', token({ claims: idClaims({ exp: NOW }) }));
add('expired_beyond_skew', 'JwtExpired', token({ claims: idClaims({ exp: NOW - 61 }) }), { skew: 60 });
add('nbf_in_future', 'JwtNotYetValid', token({ claims: idClaims({ nbf: NOW + 600 }) }));
add('iat_in_future', 'JwtIssuedInFuture', token({ claims: idClaims({ iat: NOW + 600, exp: NOW + 4200 }) }));
add('iat_future_beyond_skew', 'JwtIssuedInFuture', token({ claims: idClaims({ iat: NOW + 61 }) }), { skew: 60 });
add('lifetime_over_one_day', 'JwtLifetimeTooLong', token({ claims: idClaims({ iat: NOW - 10, exp: NOW - 10 + 86401 }) }));
add('lifetime_ten_years', 'JwtLifetimeTooLong', token({ claims: idClaims({ iat: NOW, exp: NOW + 315360000 }) }));
add('exp_before_iat', 'JwtInvalidClaim', token({ claims: idClaims({ iat: NOW + 100, exp: NOW + 50 }) }), { skew: 300 });
add('missing_exp', 'JwtMissingClaim', token({ claims: (({ exp, ...rest }) => rest)(idClaims()) }));
add('missing_iat', 'JwtMissingClaim', token({ claims: (({ iat, ...rest }) => rest)(idClaims()) }));
{
  const text = JSON.stringify(idClaims());
  const exp = NOW + 3000;
  add('float_exp', 'JwtInvalidClaim', token({ payloadText: text.replace(`"exp":${exp}`, `"exp":${exp}.0`) }));
  add('float_exp_fraction', 'JwtInvalidClaim', token({ payloadText: text.replace(`"exp":${exp}`, `"exp":${exp}.5`) }));
  add('exponent_exp', 'JwtInvalidClaim', token({ payloadText: text.replace(`"exp":${exp}`, `"exp":1.7e9`) }));
  add('exp_beyond_i64', 'JwtInvalidClaim', token({ payloadText: text.replace(`"exp":${exp}`, `"exp":99999999999999999999999`) }));
  add('float_iat', 'JwtInvalidClaim', token({ payloadText: text.replace(`"iat":${NOW - 600}`, `"iat":${NOW - 600}.0`) }));
}
add('string_exp', 'JwtInvalidClaim', token({ claims: idClaims({ exp: String(NOW + 3000) }) }));
add('null_exp', 'JwtInvalidClaim', token({ claims: idClaims({ exp: null }) }));
add('string_nbf', 'JwtInvalidClaim', token({ claims: idClaims({ nbf: String(NOW) }) }));

// ---------------------------------------------------------------- issuer
add('iss_suffix', 'JwtInvalidIssuer', token({ claims: idClaims({ iss: `${ISSUER}x` }) }));
add('iss_trailing_slash', 'JwtInvalidIssuer', token({ claims: idClaims({ iss: `${ISSUER}/` }) }));
add('iss_http', 'JwtInvalidIssuer', token({ claims: idClaims({ iss: ISSUER.replace('https:', 'http:') }) }));
add('iss_other_region', 'JwtInvalidIssuer', token({ claims: idClaims({ iss: ISSUER.replace('.us-east-1.', '.eu-west-1.') }) }));
add('iss_other_pool', 'JwtInvalidIssuer', token({ claims: idClaims({ iss: ISSUER.replace('AbCdEf123', 'AbCdEf124') }) }));
add('iss_pool_case_changed', 'JwtInvalidIssuer', token({ claims: idClaims({ iss: ISSUER.replace('AbCdEf123', 'abcdef123') }) }));
add('iss_host_suffix_attack', 'JwtInvalidIssuer', token({ claims: idClaims({ iss: ISSUER.replace('amazonaws.com', 'amazonaws.com.evil.example') }) }));
add('iss_issuer_cognito_idp_not_configured', 'JwtInvalidIssuer', token({ claims: idClaims({ iss: ISSUER_NEW }) }));
add('iss_with_nul', 'JwtInvalidIssuer', token({ claims: idClaims({ iss: `${ISSUER}\u0000` }) }));
add('iss_missing', 'JwtMissingClaim', token({ claims: (({ iss, ...rest }) => rest)(idClaims()) }));
add('iss_array', 'JwtInvalidClaim', token({ claims: idClaims({ iss: [ISSUER] }) }));

// ---------------------------------------------------------------- audience, client id, token use
add('aud_array_with_client', 'JwtInvalidAudience', token({ claims: idClaims({ aud: [CLIENT] }) }));
add('aud_array_with_two', 'JwtInvalidAudience', token({ claims: idClaims({ aud: [CLIENT, 'other'] }) }));
add('aud_wrong', 'JwtInvalidAudience', token({ claims: idClaims({ aud: 'otherclient' }) }));
add('aud_prefix', 'JwtInvalidAudience', token({ claims: idClaims({ aud: CLIENT.slice(0, -1) }) }));
add('aud_missing', 'JwtMissingClaim', token({ claims: (({ aud, ...rest }) => rest)(idClaims()) }));
add('client_id_mismatch', 'JwtInvalidClientId', token({ claims: accessClaims({ client_id: 'otherclient' }) }), access);
add('client_id_missing', 'JwtMissingClaim', token({ claims: (({ client_id, ...rest }) => rest)(accessClaims()) }), access);
add('id_token_used_as_access', 'JwtInvalidTokenUse', token(), access);
add('access_token_used_as_id', 'JwtInvalidTokenUse', token({ claims: accessClaims() }));
add('token_use_uppercase', 'JwtInvalidTokenUse', token({ claims: idClaims({ token_use: 'ID' }) }));
add('token_use_missing', 'JwtMissingClaim', token({ claims: (({ token_use, ...rest }) => rest)(idClaims()) }));
add('token_use_refresh', 'JwtInvalidTokenUse', token({ claims: idClaims({ token_use: 'refresh' }) }));

// ---------------------------------------------------------------- groups and scopes
add('required_group_missing', 'JwtMissingGroup', token(), { required_groups: ['root'] });
add('required_group_case', 'JwtMissingGroup', token(), { required_groups: ['Admins'] });
add('groups_string_not_array', 'JwtInvalidClaim', token({ claims: idClaims({ 'cognito:groups': 'admins' }) }));
add('required_scope_missing', 'JwtMissingScope', token({ claims: accessClaims() }), { ...access, required_scopes: ['email'] });
add('required_scope_substring', 'JwtMissingScope', token({ claims: accessClaims() }), { ...access, required_scopes: ['aws.cognito'] });
add('scope_array_not_string', 'JwtInvalidClaim', token({ claims: accessClaims({ scope: ['openid'] }) }), access);

// ---------------------------------------------------------------- JSON
{
  const text = JSON.stringify(idClaims());
  add('duplicate_claim_exp', 'JwtMalformed', token({ payloadText: text.replace('{', `{"exp":${NOW + 999999},`) }));
  add('duplicate_claim_iss', 'JwtMalformed', token({ payloadText: text.replace('{', '{"iss":"https://evil.example",') }));
  add('duplicate_claim_after_unescaping', 'JwtMalformed', token({ payloadText: text.replace('{', '{"\\u0069ss":"https://evil.example",') }));
  add('duplicate_claim_aud', 'JwtMalformed', token({ payloadText: text.replace('}', `,"aud":"other"}`) }));
  const bytes = Buffer.from(JSON.stringify(idClaims({ name: 'XX' })));
  const at = bytes.indexOf('XX');
  bytes[at] = 0xc3;
  bytes[at + 1] = 0x28;
  add('invalid_utf8_in_payload', 'JwtMalformed', token({ payloadBytes: bytes }));
  const overlong = Buffer.from(JSON.stringify(idClaims({ name: 'XX' })));
  overlong[overlong.indexOf('XX')] = 0xc0;
  overlong[overlong.indexOf('X')] = 0xaf;
  add('overlong_utf8_in_payload', 'JwtMalformed', token({ payloadBytes: overlong }));
  add('lone_high_surrogate_escape', 'JwtMalformed', token({ payloadText: text.replace('"email":"', '"email":"\\ud800') }));
  add('lone_low_surrogate_escape', 'JwtMalformed', token({ payloadText: text.replace('"email":"', '"email":"\\udc00') }));
  add('payload_bom', 'JwtMalformed', token({ payloadText: `\ufeff${text}` }));
  add('payload_trailing_comma', 'JwtMalformed', token({ payloadText: text.replace(/}$/, ',}') }));
  add('payload_comment', 'JwtMalformed', token({ payloadText: `/*x*/${text}` }));
  add('payload_nan', 'JwtMalformed', token({ payloadText: text.replace('{', '{"x":NaN,') }));
  add('payload_raw_control_char', 'JwtMalformed', token({ payloadText: text.replace('"email":"', '"email":"\t') }));
  add('payload_trailing_data', 'JwtMalformed', token({ payloadText: `${text}{}` }));
  add('payload_json_array', 'JwtMalformed', token({ payloadText: `[${text}]` }));
  add('payload_json_string', 'JwtMalformed', token({ payloadText: JSON.stringify(text) }));
  add('payload_leading_zero_number', 'JwtMalformed', token({ payloadText: text.replace(`"exp":${NOW + 3000}`, `"exp":0${NOW + 3000}`) }));
  const deep = `${'['.repeat(64)}${']'.repeat(64)}`;
  add('deep_nesting', 'JwtMalformed', token({ payloadText: text.replace('{', `{"deep":${deep},`) }));
}
add('huge_token_over_cap', 'JwtTooLarge', token({ claims: idClaims({ pad: 'x'.repeat(17000) }) }));
add('megabyte_token', 'JwtTooLarge', token({ claims: idClaims({ pad: 'x'.repeat(1 << 20) }) }));
add('many_small_claims_under_cap', 'accept', token({ claims: idClaims(Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`custom:c${i}`, 'v']))) }));

writeFileSync(outfile, JSON.stringify(cases));
console.log(`wrote ${cases.length} cases to ${outfile}`);
