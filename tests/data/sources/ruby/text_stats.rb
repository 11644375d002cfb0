# Word and sentence statistics for plain text.

# Splits text into lowercase words, dropping punctuation.
def words(text)
  text.downcase.scan(/[a-z']+/)
end

# How often each word occurs, most frequent first, ties broken alphabetically.
def word_frequencies(text)
  counts = Hash.new(0)
  words(text).each { |word| counts[word] += 1 }
  counts.sort_by { |word, count| [-count, word] }
end

# The number of sentences, counting runs of terminal punctuation once.
def sentence_count(text)
  text.split(/[.!?]+/).count { |part| !part.strip.empty? }
end

# Average word length, rounded to two places; zero for empty text.
def average_word_length(text)
  list = words(text)
  return 0.0 if list.empty?

  (list.sum(&:length).to_f / list.size).round(2)
end

# The longest words, without duplicates, longest first.
def longest_words(text, limit = 3)
  words(text).uniq.max_by(limit, &:length)
end

# A crude readability score: words per sentence times average word length.
def readability(text)
  sentences = sentence_count(text)
  return 0.0 if sentences.zero?

  ((words(text).size.to_f / sentences) * average_word_length(text)).round(1)
end

SAMPLE = <<~TEXT
  The quick brown fox jumps over the lazy dog. The dog sleeps!
  Does the fox care? Not at all.
TEXT

if $PROGRAM_NAME == __FILE__
  word_frequencies(SAMPLE).first(3).each do |word, count|
    puts format("%-8s %d", word, count)
  end
  puts "sentences: #{sentence_count(SAMPLE)}"
  puts "readability: #{readability(SAMPLE)}"
end
