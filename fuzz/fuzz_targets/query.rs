//! Query-string parameters (`/v1/stream?token=…&cursor=…`, `/v1/messages?after=…&limit=…`):
//! `sapa_edge::query::param` on arbitrary URLs and names.
//!
//! Input: `<name>\n<value>\n<url…>`, read lossily as UTF-8 (the Workers runtime hands the edge a `String`).
//!
//! Properties:
//! - param never panics; a URL without `?` has no parameters;
//! - round trip: for any name and value, `param("https://e.x/p?" + enc(name) + "=" + enc(value) + "#…", name)`
//!   is exactly `value`, with percent-encoding or with spaces written as `+`;
//! - the first decodable occurrence wins: appending `&enc(name)=enc(value)` to a URL with a query and no
//!   fragment gives what the URL already gave, or else `value`;
//! - the fragment is never read: appending `#…` (without a `?`) to a URL without one changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sapa_edge::query::param;

/// `application/x-www-form-urlencoded` style, as a browser's `URLSearchParams` writes it: unreserved
/// characters kept, space as `+`, everything else percent-encoded.
fn form_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b' ' => out.push('+'),
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'*' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Percent-encodes every byte outside the unreserved set (what `encodeURIComponent` does, and more).
fn percent_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut lines = text.splitn(3, '\n');
    let (name, value, url) = (lines.next().unwrap_or(""), lines.next().unwrap_or(""), lines.next().unwrap_or(""));

    let found = param(url, name);
    if !url.contains('?') {
        assert_eq!(found, None, "a parameter in a URL without a query");
    }
    // (Only when the fragment holds no `?`: with no query before it, `param` takes a `?` in the fragment for
    // the query's start. Browsers never send fragments, so the edge never sees one.)
    if !url.contains('#') && !name.contains('?') && !value.contains('?') {
        assert_eq!(param(&format!("{url}#{name}={value}"), name), found, "the fragment was read");
    }

    for encode in [percent_encode as fn(&str) -> String, form_encode] {
        let built = format!("https://e.x/p?{}={}#{url}", encode(name), encode(value));
        assert_eq!(param(&built, name).as_deref(), Some(value), "round trip through {built:?}");

        if url.contains('?') && !url.contains('#') {
            let appended = format!("{url}&{}={}", encode(name), encode(value));
            let expected = found.clone().unwrap_or_else(|| value.to_owned());
            assert_eq!(param(&appended, name), Some(expected), "the first occurrence must win in {appended:?}");
        }
    }
});
