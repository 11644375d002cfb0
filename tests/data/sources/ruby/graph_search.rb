require "set"

# Shortest paths on small unweighted and weighted graphs.
class Graph
  def initialize
    @edges = Hash.new { |hash, key| hash[key] = {} }
  end

  # Adds an undirected edge with a weight (1 by default).
  def connect(a, b, weight = 1)
    @edges[a][b] = weight
    @edges[b][a] = weight
    self
  end

  def neighbours(node)
    @edges[node].keys
  end

  # Breadth-first search: the path with the fewest edges, or nil.
  def fewest_hops(from, to)
    previous = { from => nil }
    queue = [from]
    until queue.empty?
      node = queue.shift
      return walk_back(previous, to) if node == to

      neighbours(node).each do |next_node|
        next if previous.key?(next_node)

        previous[next_node] = node
        queue << next_node
      end
    end
    nil
  end

  # Dijkstra's algorithm with a sorted frontier; fine for graphs of a few hundred nodes.
  def cheapest(from, to)
    cost = { from => 0 }
    previous = { from => nil }
    done = Set.new
    frontier = [[0, from]]
    until frontier.empty?
      spent, node = frontier.shift
      next if done.include?(node)
      return [spent, walk_back(previous, to)] if node == to

      done << node
      @edges[node].each do |next_node, weight|
        total = spent + weight
        next unless cost[next_node].nil? || total < cost[next_node]

        cost[next_node] = total
        previous[next_node] = node
        frontier << [total, next_node]
      end
      frontier.sort!
    end
    nil
  end

  private

  def walk_back(previous, node)
    path = []
    while node
      path.unshift(node)
      node = previous[node]
    end
    path
  end
end
