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
