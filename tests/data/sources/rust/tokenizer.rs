//! A tokenizer for arithmetic expressions: numbers, identifiers, operators and parentheses.

#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    Number(f64),
    Ident(String),
    Op(char),
    LParen,
    RParen,
}

/// Splits the input into tokens, or names the first character it cannot read.
pub fn tokenize(input: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = input.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() || c == '.' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            let value = text.parse::<f64>().map_err(|e| format!("bad number {:?}: {}", text, e))?;
            tokens.push(Token::Number(value));
        } else if c.is_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            tokens.push(Token::Ident(chars[start..i].iter().collect()));
        } else {
            tokens.push(match c {
                '+' | '-' | '*' | '/' | '^' => Token::Op(c),
                '(' => Token::LParen,
                ')' => Token::RParen,
                other => return Err(format!("unexpected character {:?} at {}", other, i)),
            });
            i += 1;
        }
    }
    Ok(tokens)
}

/// Binding power of a binary operator; `^` binds tightest.
pub fn precedence(op: char) -> u8 {
    match op {
        '+' | '-' => 1,
        '*' | '/' => 2,
        '^' => 3,
        _ => 0,
    }
}

/// Reorders tokens into reverse Polish notation with the shunting-yard algorithm.
pub fn to_rpn(tokens: &[Token]) -> Result<Vec<Token>, String> {
    let mut output = Vec::new();
    let mut ops: Vec<Token> = Vec::new();
    for token in tokens {
        match token {
            Token::Number(_) | Token::Ident(_) => output.push(token.clone()),
            Token::Op(op) => {
                while let Some(Token::Op(top)) = ops.last() {
                    let right_assoc = *op == '^';
                    if precedence(*top) > precedence(*op) || (!right_assoc && precedence(*top) == precedence(*op)) {
                        output.push(ops.pop().unwrap());
                    } else {
                        break;
                    }
                }
                ops.push(token.clone());
            }
            Token::LParen => ops.push(Token::LParen),
            Token::RParen => loop {
                match ops.pop() {
                    Some(Token::LParen) => break,
                    Some(t) => output.push(t),
                    None => return Err("unbalanced ')'".to_string()),
                }
            },
        }
    }
    while let Some(t) = ops.pop() {
        if t == Token::LParen {
            return Err("unbalanced '('".to_string());
        }
        output.push(t);
    }
    Ok(output)
}
