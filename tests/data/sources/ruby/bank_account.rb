# Accounts with a transaction history and transfers between them.
class InsufficientFunds < StandardError; end

# One account; amounts are integers in cents to avoid rounding.
class Account
  attr_reader :owner, :balance, :history

  def initialize(owner, balance = 0)
    @owner = owner
    @balance = balance
    @history = []
  end

  def deposit(amount, note: "deposit")
    raise ArgumentError, "amount must be positive" unless amount.positive?

    @balance += amount
    @history << [note, amount]
    self
  end

  def withdraw(amount, note: "withdrawal")
    raise ArgumentError, "amount must be positive" unless amount.positive?
    raise InsufficientFunds, "#{owner} has #{balance}, needs #{amount}" if amount > balance

    @balance -= amount
    @history << [note, -amount]
    self
  end

  # Moves money to another account; either both sides change or neither does.
  def transfer(amount, to:)
    withdraw(amount, note: "to #{to.owner}")
    to.deposit(amount, note: "from #{owner}")
  end

  def statement
    lines = history.map { |note, amount| format("%-16s %+8.2f", note, amount / 100.0) }
    lines << format("%-16s %8.2f", "balance", balance / 100.0)
    lines.join("\n")
  end
end

# Monthly interest, compounded, rounded down to whole cents.
def compound(balance, yearly_rate, months)
  monthly = yearly_rate / 12.0
  months.times.reduce(balance) { |total, _| (total * (1 + monthly)).floor }
end

if $PROGRAM_NAME == __FILE__
  alice = Account.new("alice", 10_000)
  bob = Account.new("bob")
  alice.transfer(2_500, to: bob)
  puts alice.statement
  puts compound(bob.balance, 0.05, 12)
end
