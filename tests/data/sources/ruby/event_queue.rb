# A priority queue of timed events and a tiny simulator that drains it.

# A binary min-heap ordered by a key the caller gives.
class MinHeap
  def initialize(&key)
    @key = key || ->(x) { x }
    @items = []
  end

  def size
    @items.size
  end

  def empty?
    @items.empty?
  end

  def push(item)
    @items << item
    sift_up(@items.size - 1)
    self
  end

  # Removes and returns the smallest item, or nil when empty.
  def pop
    return nil if @items.empty?

    top = @items.first
    last = @items.pop
    unless @items.empty?
      @items[0] = last
      sift_down(0)
    end
    top
  end

  private

  def sift_up(index)
    while index.positive?
      parent = (index - 1) / 2
      break if @key.call(@items[parent]) <= @key.call(@items[index])

      @items[parent], @items[index] = @items[index], @items[parent]
      index = parent
    end
  end

  def sift_down(index)
    loop do
      left = 2 * index + 1
      right = left + 1
      smallest = index
      smallest = left if left < @items.size && @key.call(@items[left]) < @key.call(@items[smallest])
      smallest = right if right < @items.size && @key.call(@items[right]) < @key.call(@items[smallest])
      break if smallest == index

      @items[smallest], @items[index] = @items[index], @items[smallest]
      index = smallest
    end
  end
end

Event = Struct.new(:time, :name, :action)

# Runs events in time order until none are left or the clock passes the limit.
class Simulator
  attr_reader :clock, :log

  def initialize
    @queue = MinHeap.new(&:time)
    @clock = 0
    @log = []
  end

  def schedule(delay, name, &action)
    @queue.push(Event.new(@clock + delay, name, action))
  end

  def run(until_time: Float::INFINITY)
    until @queue.empty?
      event = @queue.pop
      break if event.time > until_time

      @clock = event.time
      @log << "#{@clock}: #{event.name}"
      event.action&.call(self)
    end
    @log
  end
end
