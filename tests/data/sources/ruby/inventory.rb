# frozen_string_literal: true

require "json"

# A small stock ledger: items, quantities and reorder points.
module Warehouse
  # One stock-keeping unit and how many are on the shelf.
  class Item
    attr_reader :sku, :name, :quantity, :reorder_at

    def initialize(sku, name, quantity: 0, reorder_at: 5)
      raise ArgumentError, "sku must not be empty" if sku.to_s.empty?

      @sku = sku
      @name = name
      @quantity = quantity
      @reorder_at = reorder_at
    end

    # Adds stock; returns the new quantity.
    def receive(count)
      raise ArgumentError, "count must be positive" unless count.positive?

      @quantity += count
    end

    # Takes stock out, refusing to go below zero.
    def ship(count)
      if count > @quantity
        raise ArgumentError, "only #{@quantity} of #{@sku} left, cannot ship #{count}"
      end

      @quantity -= count
    end

    def needs_reorder?
      @quantity <= @reorder_at
    end

    def to_h
      { sku: @sku, name: @name, quantity: @quantity, reorder_at: @reorder_at }
    end
  end

  # Items by SKU, with a JSON round trip.
  class Ledger
    include Enumerable

    def initialize
      @items = {}
    end

    def add(item)
      @items[item.sku] = item
      self
    end

    def each(&block)
      @items.each_value(&block)
    end

    # The SKUs whose stock is at or below their reorder point, sorted.
    def reorder_list
      select(&:needs_reorder?).map(&:sku).sort
    end

    def to_json(*args)
      map(&:to_h).to_json(*args)
    end

    def self.from_json(text)
      ledger = new
      JSON.parse(text, symbolize_names: true).each do |row|
        ledger.add(Item.new(row[:sku], row[:name], quantity: row[:quantity], reorder_at: row[:reorder_at]))
      end
      ledger
    end
  end
end

if $PROGRAM_NAME == __FILE__
  ledger = Warehouse::Ledger.new
  ledger.add(Warehouse::Item.new("A-1", "bolts", quantity: 3))
  ledger.add(Warehouse::Item.new("B-2", "nuts", quantity: 40))
  puts ledger.reorder_list.inspect
end
