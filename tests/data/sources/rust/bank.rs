//! Accounts and transfers with checked arithmetic and an audit trail.

use std::collections::BTreeMap;
use std::fmt;

#[derive(Debug, PartialEq, Eq)]
pub enum BankError {
    NoSuchAccount(u32),
    InsufficientFunds { account: u32, balance: u64, wanted: u64 },
    SameAccount,
}

impl fmt::Display for BankError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        match self {
            BankError::NoSuchAccount(id) => write!(f, "no account {}", id),
            BankError::InsufficientFunds { account, balance, wanted } => {
                write!(f, "account {} holds {}, cannot pay {}", account, balance, wanted)
            }
            BankError::SameAccount => write!(f, "cannot transfer to the same account"),
        }
    }
}

#[derive(Default)]
pub struct Bank {
    balances: BTreeMap<u32, u64>,
    next_id: u32,
    audit: Vec<String>,
}

impl Bank {
    /// Opens an account with an initial deposit and returns its id.
    pub fn open(&mut self, deposit: u64) -> u32 {
        self.next_id += 1;
        self.balances.insert(self.next_id, deposit);
        self.audit.push(format!("open {} with {}", self.next_id, deposit));
        self.next_id
    }

    pub fn balance(&self, id: u32) -> Result<u64, BankError> {
        self.balances.get(&id).copied().ok_or(BankError::NoSuchAccount(id))
    }

    /// Moves `amount` between two accounts; on any error nothing changes.
    pub fn transfer(&mut self, from: u32, to: u32, amount: u64) -> Result<(), BankError> {
        if from == to {
            return Err(BankError::SameAccount);
        }
        let source = self.balance(from)?;
        self.balance(to)?;
        if source < amount {
            return Err(BankError::InsufficientFunds { account: from, balance: source, wanted: amount });
        }
        *self.balances.get_mut(&from).unwrap() -= amount;
        *self.balances.get_mut(&to).unwrap() += amount;
        self.audit.push(format!("move {} from {} to {}", amount, from, to));
        Ok(())
    }

    /// Total money held: transfers never change it.
    pub fn total(&self) -> u64 {
        self.balances.values().sum()
    }

    pub fn audit_log(&self) -> &[String] {
        &self.audit
    }
}
