# Roman numerals in both directions, for 1..3999.
module Roman
  NUMERALS = {
    1000 => "M", 900 => "CM", 500 => "D", 400 => "CD",
    100 => "C", 90 => "XC", 50 => "L", 40 => "XL",
    10 => "X", 9 => "IX", 5 => "V", 4 => "IV", 1 => "I"
  }.freeze

  VALUES = { "I" => 1, "V" => 5, "X" => 10, "L" => 50, "C" => 100, "D" => 500, "M" => 1000 }.freeze

  module_function

  # Converts an integer to its Roman numeral.
  def encode(number)
    raise RangeError, "#{number} is outside 1..3999" unless (1..3999).cover?(number)

    NUMERALS.each_with_object(+"") do |(value, letters), out|
      count, number = number.divmod(value)
      out << letters * count
    end
  end

  # Converts a Roman numeral back to an integer; rejects malformed input.
  def decode(text)
    raise ArgumentError, "empty numeral" if text.nil? || text.empty?

    total = 0
    text.upcase.chars.each_with_index do |char, index|
      value = VALUES.fetch(char) { raise ArgumentError, "bad letter #{char.inspect} in #{text}" }
      following = VALUES[text.upcase[index + 1]]
      total += following && following > value ? -value : value
    end
    raise ArgumentError, "#{text} is not in canonical form" unless encode(total) == text.upcase

    total
  end

  def valid?(text)
    decode(text)
    true
  rescue ArgumentError, RangeError
    false
  end
end

if $PROGRAM_NAME == __FILE__
  [1994, 2024, 3999].each { |n| puts "#{n} => #{Roman.encode(n)}" }
  puts Roman.decode("MCMXCIV")
end
