//! Query-string parameters, read without a URL parser (the `url` crate's host handling and Unicode tables
//! would be most of their cost in the bundle, and only the query is needed).

/// The first value of `name` in `url`'s query, percent-decoded, with `+` read as a space. A value that
/// does not decode to UTF-8 counts as absent.
pub fn param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    let query = query.split_once('#').map_or(query, |(q, _)| q);
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (decode(key)? == name).then(|| decode(value)).flatten()
    })
}

fn decode(raw: &str) -> Option<String> {
    urlencoding::decode(&raw.replace('+', " ")).ok().map(|v| v.into_owned())
}

#[cfg(test)]
mod tests {
    use super::param;

    #[test]
    fn finds_decodes_and_ignores_fragments() {
        let url = "https://edge.example/v1/stream?conversation=conv%201&cursor=ab.12&empty=&flag#cursor=no";
        assert_eq!(param(url, "conversation").as_deref(), Some("conv 1"));
        assert_eq!(param(url, "cursor").as_deref(), Some("ab.12"));
        assert_eq!(param(url, "empty").as_deref(), Some(""));
        assert_eq!(param(url, "flag").as_deref(), Some(""));
        assert_eq!(param(url, "missing"), None);
        assert_eq!(param("https://edge.example/v1/stream", "cursor"), None);
        assert_eq!(param("https://e.x/?a=1&a=2&b=x+y%2By", "a").as_deref(), Some("1"), "the first wins");
        assert_eq!(param("https://e.x/?b=x+y%2By", "b").as_deref(), Some("x y+y"));
        assert_eq!(param("https://e.x/?b=%FF", "b"), None, "not UTF-8");
    }
}
