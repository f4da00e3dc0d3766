//! Session tokens (`Authorization: Bearer …`, `?token=` on the stream): `sapa_edge::token::verify` on
//! arbitrary text, and `sign` → `verify` on arbitrary claims.
//!
//! Input: the whole input is the token (lossily decoded as UTF-8). The same bytes also drive the
//! round-trip half, read as claims through `arbitrary`.
//!
//! Properties:
//! - verify never panics, and only ever answers `TokenInvalid` or `TokenExpired` when it refuses;
//! - its answers at different clocks agree: all `TokenInvalid`, or else one set of claims that is accepted
//!   exactly while `now < exp` and expired from `exp` on;
//! - a token the current secret accepts is refused by another secret alone and accepted by it with the
//!   current one as the previous secret (rotation), and re-signing its claims gives an equivalent token;
//! - round trip: `verify(sign(c))` gives back exactly `c` before `exp` and `TokenExpired` from `exp`; another
//!   secret refuses it; rotation accepts it; changing any single character of the token makes it invalid.
#![no_main]

use std::sync::LazyLock;

use libfuzzer_sys::arbitrary::{self, Unstructured};
use libfuzzer_sys::fuzz_target;
use sapa_edge::config::Secret;
use sapa_edge::error::ApiError;
use sapa_edge::token::{self, Claims};

/// The secret the seed tokens are signed with (see fuzz/seeds/session_token/).
static CURRENT: LazyLock<Secret> = LazyLock::new(|| Secret::new("fuzz-session-secret".into()));
static OTHER: LazyLock<Secret> = LazyLock::new(|| Secret::new("fuzz-other-secret".into()));

const NOW: i64 = 1_782_295_200;
const CLOCKS: [i64; 6] = [i64::MIN, -1, 0, NOW, NOW + token::SESSION_TTL_S, i64::MAX];

/// The outcome, comparable (ApiError is not `PartialEq`).
#[derive(Debug, PartialEq)]
enum Outcome {
    Ok(Claims),
    Invalid,
    Expired,
}

fn outcome(result: Result<Claims, ApiError>) -> Outcome {
    match result {
        Ok(claims) => Outcome::Ok(claims),
        Err(ApiError::TokenInvalid) => Outcome::Invalid,
        Err(ApiError::TokenExpired) => Outcome::Expired,
        Err(other) => panic!("token::verify refused with an unexpected error: {other:?}"),
    }
}

fn verify(token: &str, now: i64, current: &Secret, previous: Option<&Secret>) -> Outcome {
    outcome(token::verify(token, now, current, previous))
}

fn arbitrary_token(token: &str) {
    let answers: Vec<Outcome> = CLOCKS.iter().map(|&now| verify(token, now, &CURRENT, None)).collect();
    let invalid = answers.iter().filter(|a| **a == Outcome::Invalid).count();
    if invalid == answers.len() {
        // Nothing the current secret signed: no other secret may be needed to refuse it, and rotation to an
        // unrelated secret must not make it valid either.
        assert_eq!(verify(token, NOW, &OTHER, Some(&OTHER)), Outcome::Invalid);
        return;
    }
    assert_eq!(invalid, 0, "a token is invalid at some clocks and not others: {answers:?}");

    // The signature holds, so every answer is about expiry of one set of claims.
    let accepted = answers.iter().find_map(|a| match a {
        Outcome::Ok(c) => Some(c.clone()),
        _ => None,
    });
    for (&now, answer) in CLOCKS.iter().zip(&answers) {
        match (answer, &accepted) {
            (Outcome::Ok(c), Some(first)) => {
                assert_eq!(c, first, "different claims at different clocks");
                assert!(now < c.exp, "accepted at {now}, but it expires at {}", c.exp);
            }
            (Outcome::Expired, Some(first)) => assert!(now >= first.exp, "expired at {now} before exp {}", first.exp),
            (Outcome::Expired, None) => {} // expired everywhere: exp == i64::MIN
            _ => unreachable!(),
        }
    }

    // Keys: only the secret that signed it accepts it; rotation keeps it working.
    assert_eq!(verify(token, NOW, &OTHER, None), Outcome::Invalid, "another secret accepted the token");
    assert_eq!(verify(token, NOW, &OTHER, Some(&CURRENT)), verify(token, NOW, &CURRENT, None), "rotation");

    if let Some(claims) = accepted {
        let resigned = token::sign(&claims, &CURRENT);
        let now = claims.exp.saturating_sub(1);
        assert_eq!(verify(&resigned, now, &CURRENT, None), Outcome::Ok(claims), "re-signed claims differ");
    }
}

fn claims(u: &mut Unstructured<'_>) -> arbitrary::Result<Claims> {
    Ok(Claims {
        site: u.arbitrary()?,
        contact: u.arbitrary()?,
        conv: u.arbitrary()?,
        iat: u.arbitrary()?,
        exp: u.arbitrary()?,
        uid: u.arbitrary()?,
        own: u.arbitrary()?,
    })
}

fn round_trip(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(claims) = claims(&mut u) else { return };
    let token = token::sign(&claims, &CURRENT);
    assert!(token.starts_with("v1."), "{token}");
    assert_eq!(token.matches('.').count(), 2, "a token has exactly three parts: {token}");
    assert!(token.is_ascii());

    if claims.exp != i64::MIN {
        let before = claims.exp - 1;
        assert_eq!(verify(&token, before, &CURRENT, None), Outcome::Ok(claims.clone()), "round trip");
        assert_eq!(verify(&token, before, &OTHER, Some(&CURRENT)), Outcome::Ok(claims.clone()), "rotation");
        assert_eq!(verify(&token, before, &OTHER, None), Outcome::Invalid, "another secret accepted it");
    }
    assert_eq!(verify(&token, claims.exp, &CURRENT, None), Outcome::Expired, "not expired at exp");
    assert_eq!(verify(&token, i64::MAX, &CURRENT, None), Outcome::Expired);

    // Any one character changed (to another ASCII character, so it stays text) breaks the token.
    let Ok(index) = u.choose_index(token.len()) else { return };
    let Ok(byte) = u.int_in_range(0u8..=127) else { return };
    let mut tampered = token.clone().into_bytes();
    if tampered[index] == byte {
        return;
    }
    tampered[index] = byte;
    let tampered = String::from_utf8(tampered).expect("ASCII");
    assert_eq!(
        verify(&tampered, claims.exp.saturating_sub(1), &CURRENT, None),
        Outcome::Invalid,
        "a token with byte {index} changed to {byte:#04x} still verifies: {tampered}"
    );
}

fuzz_target!(|data: &[u8]| {
    arbitrary_token(&String::from_utf8_lossy(data));
    round_trip(data);
});
