//! Counts words in text read from standard input and prints the most frequent ones.

use std::collections::HashMap;
use std::io::{self, Read};

/// Lowercase words made of letters, digits and apostrophes.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .filter(|w| !w.is_empty())
        .map(|w| w.to_lowercase())
}

/// Word counts, most frequent first and alphabetical among equals.
fn top_words(text: &str, limit: usize) -> Vec<(String, usize)> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    for word in words(text) {
        *counts.entry(word).or_insert(0) += 1;
    }
    let mut sorted: Vec<(String, usize)> = counts.into_iter().collect();
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    sorted.truncate(limit);
    sorted
}

/// Number of lines, words and bytes, like `wc`.
fn totals(text: &str) -> (usize, usize, usize) {
    (text.lines().count(), words(text).count(), text.len())
}

fn main() -> io::Result<()> {
    let mut input = String::new();
    io::stdin().read_to_string(&mut input)?;
    let (lines, word_total, bytes) = totals(&input);
    println!("{} lines, {} words, {} bytes", lines, word_total, bytes);
    for (word, count) in top_words(&input, 10) {
        println!("{:>6} {}", count, word);
    }
    Ok(())
}
