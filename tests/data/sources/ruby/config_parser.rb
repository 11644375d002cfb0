# Reads INI-style configuration: [sections], key = value lines, # comments.
class ConfigParser
  class ParseError < StandardError
    attr_reader :line_number

    def initialize(message, line_number)
      super("line #{line_number}: #{message}")
      @line_number = line_number
    end
  end

  def self.parse(text)
    new.parse(text)
  end

  # Returns a hash of section name to a hash of keys and converted values.
  def parse(text)
    sections = { "default" => {} }
    current = "default"
    text.each_line.with_index(1) do |raw, number|
      line = raw.sub(/#.*/, "").strip
      next if line.empty?

      if (header = line[/\A\[([\w.-]+)\]\z/, 1])
        current = header
        sections[current] ||= {}
      elsif line.include?("=")
        key, value = line.split("=", 2).map(&:strip)
        raise ParseError.new("empty key", number) if key.empty?

        sections[current][key] = convert(value)
      else
        raise ParseError.new("expected `key = value` or `[section]`, got #{line.inspect}", number)
      end
    end
    sections
  end

  private

  # Integers, floats, booleans and quoted strings become Ruby values; the rest stays text.
  def convert(value)
    case value
    when /\A-?\d+\z/ then value.to_i
    when /\A-?\d+\.\d+\z/ then value.to_f
    when "true", "yes", "on" then true
    when "false", "no", "off" then false
    when /\A"(.*)"\z/ then Regexp.last_match(1)
    else value
    end
  end
end

SAMPLE_CONFIG = <<~INI
  name = demo
  [server]
  port = 8080
  debug = yes   # noisy logs
  ratio = 0.75
INI

if $PROGRAM_NAME == __FILE__
  ConfigParser.parse(SAMPLE_CONFIG).each do |section, values|
    puts "#{section}: #{values.inspect}"
  end
end
