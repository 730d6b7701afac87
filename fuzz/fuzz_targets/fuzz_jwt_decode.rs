//! Tokens from nowhere: `decode_unverified` and `verify` must return (Ok or a typed error), never panic.
#![no_main]

use cognito_wasm::jwt::{decode_unverified, verify, Expectations, Jwks, TokenUse};
use libfuzzer_sys::fuzz_target;

/// The public JWKS of the pool behind ../shared/vectors/cognito-real (two 2048-bit RS256 keys).
const JWKS: &str = r#"{"keys":[{"alg":"RS256","e":"AQAB","kid":"4PQh+BZTLdEQdyC6oEayRCrEcnQCIxjlVEm1UwdagfM=","kty":"RSA","n":"lsqwbvnP_LvPp3A-puiLvd95DU3jUaFF4GoyvFeL-29rHYXPtUHdjlkLonqyzKh_5V_VWYCDiPnjdMsGKrs7RtstuxCJO-lRSP8zGDmCIfCSC6_sJSgBy6fbSyTvSOhSVxRAfr6OB0EEKWTgJ02_9xJsrb09ECPS4O3cvJv2Yt8UCECyjjDuMdrxk41sahmth-R0ptVPhwcIfTFy6oXzhjzC9MnJNmEX_jM02MB9QwvNADQvzW0iyRCSGmLObuzXjfE1H7Pj6oG_D5kO7pw5uYIK_N7uwL0KQUwH3Q9TjZji2F7HoIPSAYo_of8WG4WuFODvod1jpcHvLtUbVuXa_Q","use":"sig"},{"alg":"RS256","e":"AQAB","kid":"4amELhrqBWOjtW1t8SQhUL66eVLMA4xMJCT6m+ZHAHE=","kty":"RSA","n":"upRoFjrT-Pgf9rayDSZKZL0s99zlHGgnHvGAooCHI3b9bnKM6grwpqtYsak7DyIPCkdcGSnRRgMic7uanfrJcqFmoy0Nj-ZFFzaA6kUpdoomzMf3TOPWapNL_t_qbcz2wIp0mNU1ariYTp5JC1XGp9A5sekLpe2VIkN3-UGFXu2kb_Ohtoid6I8ojikj18Xp29ZV95_ML1Swo2FZZVHKpizdjMJkG2WhNgiSE77QuFRmN3mFjuqr7pSiC8i6R3EmUWScCf9u2z9PZ2mT-4VSn2_Z-ML93zqJAOexMFRjRE88ftxKPsJOfwog-2rP_Re81Arms9EMNO8DXqMoNk6n0w","use":"sig"}]}"#;

/// The frozen clock at which that pool's real token is valid.
const NOW: i64 = 1_587_311_839;

fuzz_target!(|data: &[u8]| {
    let Ok(jwks) = Jwks::parse(JWKS.as_bytes()) else {
        return;
    };
    let mut expect = Expectations::new(
        vec!["https://cognito-idp.us-east-1.amazonaws.com/us-east-1_PDsy6i0Bf".to_owned()],
        "5ra91i9p4trq42m2vnjs0pv06q",
        TokenUse::Id,
    );
    expect.clock_skew_secs = 60;
    expect.required_groups = vec!["admins".to_owned()];
    if let Ok(token) = std::str::from_utf8(data) {
        let _ = decode_unverified(token);
        let _ = verify(token, &jwks, &expect, NOW);
        expect.token_use = TokenUse::Access;
        let _ = verify(token, &jwks, &expect, NOW);
    }
    // Also reach the JSON and claim paths: the input as a header or payload of a well-formed token.
    let encoded = b64(data);
    let header = b64(br#"{"kid":"4PQh+BZTLdEQdyC6oEayRCrEcnQCIxjlVEm1UwdagfM=","alg":"RS256"}"#);
    let _ = decode_unverified(&format!("{header}.{encoded}.AAAA"));
    let _ = decode_unverified(&format!("{encoded}.{header}.AAAA"));
    let _ = verify(&format!("{encoded}.{header}.AAAA"), &jwks, &expect, NOW);
});

fn b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}
