//! A growable stack with a fixed capacity limit.

use std::fmt;

/// Errors a bounded stack reports.
#[derive(Debug, PartialEq, Eq)]
pub enum StackError {
    Full { capacity: usize },
    Empty,
}

impl fmt::Display for StackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StackError::Full { capacity } => write!(f, "stack is full ({} items)", capacity),
            StackError::Empty => write!(f, "stack is empty"),
        }
    }
}

/// A stack that refuses to grow past `capacity` items.
pub struct BoundedStack<T> {
    items: Vec<T>,
    capacity: usize,
}

impl<T> BoundedStack<T> {
    pub fn new(capacity: usize) -> Self {
        BoundedStack { items: Vec::with_capacity(capacity), capacity }
    }

    /// Pushes an item, or gives it back inside the error when the stack is full.
    pub fn push(&mut self, item: T) -> Result<(), StackError> {
        if self.items.len() == self.capacity {
            return Err(StackError::Full { capacity: self.capacity });
        }
        self.items.push(item);
        Ok(())
    }

    pub fn pop(&mut self) -> Result<T, StackError> {
        self.items.pop().ok_or(StackError::Empty)
    }

    pub fn peek(&self) -> Option<&T> {
        self.items.last()
    }

    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_to_overflow() {
        let mut stack = BoundedStack::new(2);
        stack.push(1).unwrap();
        stack.push(2).unwrap();
        assert_eq!(stack.push(3), Err(StackError::Full { capacity: 2 }));
        assert_eq!(stack.pop(), Ok(2));
    }
}
