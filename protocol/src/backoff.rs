//! The one retry schedule both sides use: exponential, capped, with jitter, so a fleet of clients that failed
//! together does not come back together.

/// `first_ms` doubled at each attempt up to `max_ms`, each wait scaled into [50%, 100%) by a random number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Backoff {
    pub first_ms: u64,
    pub max_ms: u64,
}

impl Backoff {
    /// The wait before retry number `attempt` (0 for the first), given `random` in [0, 1).
    pub fn delay_ms(self, attempt: u32, random: f64) -> u64 {
        let base = self.first_ms.saturating_mul(1u64 << attempt.min(20)).min(self.max_ms);
        (base as f64 * (0.5 + random.clamp(0.0, 1.0) * 0.5)) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_up_to_the_cap_with_jitter_in_the_upper_half() {
        let b = Backoff { first_ms: 500, max_ms: 30_000 };
        assert_eq!([0, 1, 2, 3].map(|a| b.delay_ms(a, 0.999_999)), [499, 999, 1999, 3999]);
        assert_eq!(b.delay_ms(0, 0.0), 250);
        assert_eq!(b.delay_ms(10, 0.0), 15_000, "capped, then halved at most");
        assert_eq!(b.delay_ms(u32::MAX, 0.5), 22_500, "no overflow");
    }
}
