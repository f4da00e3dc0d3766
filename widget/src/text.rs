//! Message text for display: web links become links, everything else stays text. Nothing here ever
//! becomes markup; the view puts each piece in a text node or an `href`.

#[derive(Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    /// An `http://` or `https://` address, without trailing punctuation.
    Link(&'a str),
}

/// Splits text into plain runs and web links. Other schemes (`javascript:`, `data:`…) are never links.
pub fn linkify(text: &str) -> Vec<Piece<'_>> {
    let mut pieces = Vec::new();
    let mut rest = text;
    while let Some(start) = next_link(rest) {
        let end = rest[start..].find(char::is_whitespace).map_or(rest.len(), |n| start + n);
        // Punctuation that ends a sentence or closes brackets is not part of the address.
        let link = rest[start..end].trim_end_matches(['.', ',', '!', '?', ';', ':', ')', ']', '}', '\'', '"']);
        if link.len() <= "https://".len() {
            pieces.push(Piece::Text(&rest[..end]));
        } else {
            if start > 0 {
                pieces.push(Piece::Text(&rest[..start]));
            }
            pieces.push(Piece::Link(link));
            let after = start + link.len();
            rest = &rest[after..];
            continue;
        }
        rest = &rest[end..];
    }
    if !rest.is_empty() {
        pieces.push(Piece::Text(rest));
    }
    pieces
}

fn next_link(text: &str) -> Option<usize> {
    let http = text.find("http://");
    let https = text.find("https://");
    match (http, https) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Whether the text is one to three emoji and nothing else (shown large, as in every messenger). Judged by
/// code point ranges, not Unicode's emoji tables, which would cost every visitor kilobytes.
pub fn only_emoji(text: &str) -> bool {
    let (mut emoji, mut regional, mut joined) = (0, 0, false);
    for c in text.chars() {
        match c as u32 {
            // A joiner makes the next pictograph part of this emoji (👨‍👩‍👧 is one).
            0x200D => joined = true,
            // Variation selectors, skin tones and keycaps adjust the emoji before them.
            0xFE0E | 0xFE0F | 0x20E3 | 0x1F3FB..=0x1F3FF => {}
            // Regional indicators: two make a flag.
            0x1F1E6..=0x1F1FF => regional += 1,
            0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0x2B00..=0x2BFF | 0x2300..=0x23FF => {
                emoji += usize::from(!joined);
                joined = false;
            }
            _ if c.is_whitespace() => {}
            _ => return false,
        }
    }
    let total = emoji + regional / 2;
    regional % 2 == 0 && (1..=3).contains(&total)
}

/// Up to two initials for an avatar drawn in CSS: images from the core would need the host page's `img-src`
/// to name the core's media origin, which the documented CSP does not.
pub fn initials(name: &str) -> String {
    // ASCII upper-casing only: `char::to_uppercase` would ship Unicode's case tables (several KB) to every visitor.
    name.split_whitespace().filter_map(|w| w.chars().next()).take(2).map(|c| c.to_ascii_uppercase()).collect()
}

/// Options for the browser's date and time formatting (`Intl`), e.g. `[("hour", "2-digit")]`.
pub fn intl_options(fields: &[(&str, &str)]) -> js_sys::Object {
    let options = js_sys::Object::new();
    for (k, v) in fields {
        let _ = js_sys::Reflect::set(&options, &(*k).into(), &(*v).into());
    }
    options
}
