//! Text on the site's accent colour, chosen by the WCAG 2 contrast ratio so it is readable whatever colour
//! the site sets: white where white reaches 4.5:1, else the widget's dark text, else black. One of white and
//! black always reaches 4.58:1 against any colour, so the guarantee holds for every accent.

/// The AA ratio for normal text.
pub const AA: f64 = 4.5;

/// Text colours in order of preference.
const CANDIDATES: [&str; 3] = ["#ffffff", "#1d2330", "#000000"];

/// `#rrggbb` into its three channels; anything else is `None` (the value goes into a CSS property).
pub fn parse(hex: &str) -> Option<[u8; 3]> {
    let digits = hex.strip_prefix('#').filter(|d| d.len() == 6 && d.bytes().all(|b| b.is_ascii_hexdigit()))?;
    let channel = |i: usize| u8::from_str_radix(&digits[i..i + 2], 16).ok();
    Some([channel(0)?, channel(2)?, channel(4)?])
}

/// Relative luminance as WCAG 2 defines it. `pow` comes from the browser's `Math` (Rust's would ship a
/// libm routine to every visitor).
pub fn luminance([r, g, b]: [u8; 3]) -> f64 {
    let linear = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.040_45 {
            c / 12.92
        } else {
            js_sys::Math::pow((c + 0.055) / 1.055, 2.4)
        }
    };
    0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
}

/// The contrast ratio of two colours, from 1 (the same) to 21 (black on white).
pub fn ratio(a: [u8; 3], b: [u8; 3]) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// The text colour for `accent` (`#rrggbb`), or `None` when the accent is not one.
pub fn on_accent(accent: &str) -> Option<&'static str> {
    let accent = parse(accent)?;
    CANDIDATES.into_iter().find(|c| parse(c).is_some_and(|c| ratio(accent, c) >= AA)).or(Some("#000000"))
}
