def word_count(text):
    """Count how often each word occurs in text."""
    counts = {}
    for word in text.lower().split():
        word = word.strip(".,!?;:")
        if word:
            counts[word] = counts.get(word, 0) + 1
    return counts


def most_common(text, k=3):
    counts = word_count(text)
    return sorted(counts.items(), key=lambda kv: kv[1], reverse=True)[:k]


print(most_common("the cat and the hat and the bat"))
