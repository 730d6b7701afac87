// Derives tests/emulator/vectors/device_srp.json with amazon-cognito-identity-js's own AuthenticationHelper, so the
// emulator's device SRP (and, later, the Rust client's) can be checked against what a real SDK computes.
//
//   node tests/emulator/vectors/derive_device_srp_vectors.cjs [path/to/node_modules] > tests/emulator/vectors/device_srp.json
//
// node_modules defaults to bench/node_modules (amazon-cognito-identity-js 6.3.x is a bench dependency). The inputs
// (random password, salt, a, b, secret block) are fixed, derived from SHA-256 of labels, so a re-run gives the same
// file. The steps mirror CognitoUser.js: generateHashDevice (ConfirmDevice's DeviceSecretVerifierConfig, with the
// random parts fixed) and getDeviceResponse (DEVICE_SRP_AUTH -> DEVICE_PASSWORD_VERIFIER signature).
'use strict';
const path = require('path');
const crypto = require('crypto');

const modules = path.resolve(process.argv[2] || path.join(__dirname, '../../../bench/node_modules'));
const lib = path.join(modules, 'amazon-cognito-identity-js/lib');
const AuthenticationHelper = require(path.join(lib, 'AuthenticationHelper.js')).default;
const BigInteger = require(path.join(lib, 'BigInteger.js')).default;
const { Sha256 } = require(path.join(modules, '@aws-crypto/sha256-js'));
const version = require(path.join(modules, 'amazon-cognito-identity-js/package.json')).version;

// n bytes from SHA-256(label ‖ counter), as hex: fixed "random" inputs.
function bytesHex(label, n) {
  let out = '';
  for (let i = 0; out.length < 2 * n; i++) out += crypto.createHash('sha256').update(`${label}/${i}`).digest('hex');
  return out.slice(0, 2 * n);
}

const modPow = (base, exp, mod) =>
  new Promise((resolve, reject) => base.modPow(exp, mod, (err, r) => (err ? reject(err) : resolve(r))));

async function derive(name, { groupKey, deviceKey, saltHexRaw, timestamp }) {
  const helper = new AuthenticationHelper(groupKey);
  // ConfirmDevice: generateHashDevice with its random password and salt fixed.
  const randomPassword = Buffer.from(bytesHex(`${name}/password`, 40), 'hex').toString('base64');
  const hashed = helper.hash(`${groupKey}${deviceKey}:${randomPassword}`);
  const saltHex = helper.padHex(new BigInteger(saltHexRaw, 16));
  const verifier = await modPow(helper.g, new BigInteger(helper.hexHash(saltHex + hashed), 16), helper.N);
  const verifierHex = helper.padHex(verifier);
  // DEVICE_SRP_AUTH: the client's a (fixed) and A, sent as A.toString(16).
  helper.smallAValue = new BigInteger(bytesHex(`${name}/a`, 128), 16);
  helper.largeAValue = undefined;
  const A = await new Promise((resolve, reject) => helper.getLargeAValue((e, v) => (e ? reject(e) : resolve(v))));
  // The server's side (b fixed): B = k·v + g^b mod N, what DEVICE_PASSWORD_VERIFIER's SRP_B carries.
  const b = new BigInteger(bytesHex(`${name}/b`, 128), 16);
  const B = helper.k.multiply(verifier).add(await modPow(helper.g, b, helper.N)).mod(helper.N);
  const secretBlock = Buffer.from(bytesHex(`${name}/secret-block`, 96), 'hex').toString('base64');
  // DEVICE_PASSWORD_VERIFIER: exactly getDeviceResponse's computation.
  const salt = new BigInteger(saltHex, 16);
  const hkdf = await new Promise((resolve, reject) =>
    helper.getPasswordAuthenticationKey(deviceKey, randomPassword, B, salt, (e, v) => (e ? reject(e) : resolve(v))),
  );
  const message = Buffer.concat([
    Buffer.from(groupKey, 'utf8'),
    Buffer.from(deviceKey, 'utf8'),
    Buffer.from(secretBlock, 'base64'),
    Buffer.from(timestamp, 'utf8'),
  ]);
  const mac = new Sha256(hkdf);
  mac.update(message);
  const signature = Buffer.from(mac.digestSync()).toString('base64');
  return {
    name,
    deviceGroupKey: groupKey,
    deviceKey,
    randomPassword,
    saltHex,
    verifierHex,
    confirmDevice: {
      Salt: Buffer.from(saltHex, 'hex').toString('base64'),
      PasswordVerifier: Buffer.from(verifierHex, 'hex').toString('base64'),
    },
    a: helper.smallAValue.toString(16),
    SRP_A: A.toString(16),
    b: b.toString(16),
    SRP_B: B.toString(16),
    SALT: salt.toString(16),
    u: helper.UValue.toString(16),
    secretBlock,
    timestamp,
    hkdf: Buffer.from(hkdf).toString('hex'),
    signature,
  };
}

(async () => {
  const cases = [
    // salt without a high bit: padHex adds nothing (32 hex characters)
    { groupKey: '-Kq3vZx9L', deviceKey: 'us-east-1_5b1f3c2e-8d4a-4e6b-9f70-1a2b3c4d5e6f', saltHexRaw: '3' + bytesHex('salt-1', 16).slice(1), timestamp: 'Sun Dec 6 06:30:59 UTC 2026' },
    // salt with the high bit set: padHex puts "00" in front (34 hex characters, 17 bytes of Salt)
    { groupKey: '-a1B2c3D4e', deviceKey: 'eu-west-1_0c9d8e7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f', saltHexRaw: 'f' + bytesHex('salt-2', 16).slice(1), timestamp: 'Mon Jan 12 23:05:07 UTC 2026' },
    // salt whose first byte is zero: the integer is shorter (15 bytes of Salt)
    { groupKey: '-ZZ_9-yx', deviceKey: 'us-west-2_ffffffff-0000-4000-8000-000000000001', saltHexRaw: '00' + '7' + bytesHex('salt-3', 16).slice(3), timestamp: 'Thu Feb 29 12:00:00 UTC 2024' },
  ];
  const out = [];
  for (const [i, c] of cases.entries()) out.push(await derive(`device-${i + 1}`, c));
  const doc = {
    description:
      'Remembered-device SRP (ConfirmDevice verifier, DEVICE_SRP_AUTH / DEVICE_PASSWORD_VERIFIER signature) computed by ' +
      'amazon-cognito-identity-js AuthenticationHelper with fixed inputs. poolName = deviceGroupKey, username = deviceKey, ' +
      'password = randomPassword. b/SRP_B are a simulated server. Hex is BigInteger.toString(16) except saltHex/verifierHex (padHex).',
    generator: 'tests/emulator/vectors/derive_device_srp_vectors.cjs',
    library: `amazon-cognito-identity-js ${version}`,
    cases: out,
  };
  process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
})().catch((err) => {
  console.error(err);
  process.exit(1);
});
