//! "Did you mean `alpha`?" for misspelt ids and keys, by edit distance (strsim).

/// The closest candidate within a small edit distance, as a message tail
/// (`; did you mean `alpha`?`), or `None` when nothing is close.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    closest(input, candidates).map(|c| format!("; did you mean `{c}`?"))
}

/// The closest candidate: smallest Damerau-Levenshtein distance, at most a third of the
/// input's length (and at least 1), ties broken by name so the answer is stable.
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let len = input.chars().count();
    let limit = (len / 3).max(1);
    candidates
        .into_iter()
        // The distance is at least the difference in length: skip those cheaply.
        .filter(|c| {
            c.len().abs_diff(input.len()) <= limit * 4 && c.chars().count().abs_diff(len) <= limit
        })
        .map(|c| (strsim::damerau_levenshtein(input, c), c))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transposition_and_typos_are_found() {
        assert_eq!(closest("alpah", ["alpha", "beta"]), Some("alpha"));
        assert_eq!(closest("frge", ["forge", "relay"]), Some("forge"));
        assert_eq!(closest("zzzzzz", ["alpha", "beta"]), None);
    }
}
