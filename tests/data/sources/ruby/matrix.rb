# Dense matrices of numbers with the usual arithmetic.
class Matrix2D
  attr_reader :rows, :cols

  # Builds a rows x cols matrix, filled by the block or with zeros.
  def initialize(rows, cols)
    @rows = rows
    @cols = cols
    @data = Array.new(rows) do |i|
      Array.new(cols) { |j| block_given? ? yield(i, j) : 0 }
    end
  end

  def self.identity(size)
    new(size, size) { |i, j| i == j ? 1 : 0 }
  end

  def self.from_rows(rows)
    new(rows.size, rows.first.size) { |i, j| rows[i][j] }
  end

  def [](i, j)
    @data[i][j]
  end

  def []=(i, j, value)
    @data[i][j] = value
  end

  # Element-wise sum; both matrices must have the same shape.
  def +(other)
    check_same_shape(other)
    Matrix2D.new(rows, cols) { |i, j| self[i, j] + other[i, j] }
  end

  # Matrix product.
  def *(other)
    unless cols == other.rows
      raise ArgumentError, "cannot multiply #{rows}x#{cols} by #{other.rows}x#{other.cols}"
    end

    Matrix2D.new(rows, other.cols) do |i, j|
      (0...cols).sum { |k| self[i, k] * other[k, j] }
    end
  end

  def transpose
    Matrix2D.new(cols, rows) { |i, j| self[j, i] }
  end

  # Sum of the diagonal of a square matrix.
  def trace
    raise ArgumentError, "trace needs a square matrix" unless rows == cols

    (0...rows).sum { |i| self[i, i] }
  end

  def ==(other)
    other.is_a?(Matrix2D) && to_a == other.to_a
  end

  def to_a
    @data.map(&:dup)
  end

  def to_s
    @data.map { |row| row.join(" ") }.join("\n")
  end

  private

  def check_same_shape(other)
    return if rows == other.rows && cols == other.cols

    raise ArgumentError, "shapes differ: #{rows}x#{cols} and #{other.rows}x#{other.cols}"
  end
end
