//! Counts in words: "1 change", "2 changes". Every count a learner reads goes through
//! [`counted`], so no screen says "1 changes".

/// `n` with the singular or plural noun, e.g. `counted(1, "card", "cards")` is "1 card".
pub fn counted(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::counted;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(counted(1, "change", "changes"), "1 change");
        assert_eq!(counted(0, "change", "changes"), "0 changes");
        assert_eq!(counted(2, "criterion", "criteria"), "2 criteria");
    }
}
