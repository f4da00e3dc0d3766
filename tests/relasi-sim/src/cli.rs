//! What the simulators' command lines share: a flag's value, parsed, or a stop that says what it needs.

use std::str::FromStr;

/// The next argument as the flag's value; `fail` (the binary's, which prints its usage) when it is missing or
/// does not parse.
pub fn value<T: FromStr>(args: &mut impl Iterator<Item = String>, fail: fn(&str) -> !, needs: &str) -> T {
    args.next().and_then(|v| v.parse().ok()).unwrap_or_else(|| fail(needs))
}
