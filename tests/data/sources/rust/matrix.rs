//! Small dense matrices: multiplication, transposition and Gaussian elimination.

#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    rows: usize,
    cols: usize,
    data: Vec<f64>,
}

impl Matrix {
    pub fn zeros(rows: usize, cols: usize) -> Self {
        Matrix { rows, cols, data: vec![0.0; rows * cols] }
    }

    pub fn identity(n: usize) -> Self {
        let mut m = Matrix::zeros(n, n);
        for i in 0..n {
            m.set(i, i, 1.0);
        }
        m
    }

    pub fn from_rows(rows: &[Vec<f64>]) -> Self {
        let cols = rows.first().map_or(0, |r| r.len());
        let data = rows.iter().flat_map(|r| r.iter().cloned()).collect();
        Matrix { rows: rows.len(), cols, data }
    }

    pub fn get(&self, r: usize, c: usize) -> f64 {
        self.data[r * self.cols + c]
    }

    pub fn set(&mut self, r: usize, c: usize, value: f64) {
        self.data[r * self.cols + c] = value;
    }

    /// The product self x other, or None when the shapes do not fit.
    pub fn mul(&self, other: &Matrix) -> Option<Matrix> {
        if self.cols != other.rows {
            return None;
        }
        let mut out = Matrix::zeros(self.rows, other.cols);
        for i in 0..self.rows {
            for j in 0..other.cols {
                let sum = (0..self.cols).map(|k| self.get(i, k) * other.get(k, j)).sum();
                out.set(i, j, sum);
            }
        }
        Some(out)
    }

    pub fn transpose(&self) -> Matrix {
        let mut out = Matrix::zeros(self.cols, self.rows);
        for i in 0..self.rows {
            for j in 0..self.cols {
                out.set(j, i, self.get(i, j));
            }
        }
        out
    }
}

/// Solves A x = b by Gaussian elimination with partial pivoting; None if A is singular.
pub fn solve(a: &Matrix, b: &[f64]) -> Option<Vec<f64>> {
    let n = a.rows;
    let mut m = a.clone();
    let mut rhs = b.to_vec();
    for col in 0..n {
        let pivot = (col..n).max_by(|&x, &y| m.get(x, col).abs().partial_cmp(&m.get(y, col).abs()).unwrap())?;
        if m.get(pivot, col).abs() < 1e-12 {
            return None;
        }
        for c in 0..n {
            let tmp = m.get(col, c);
            m.set(col, c, m.get(pivot, c));
            m.set(pivot, c, tmp);
        }
        rhs.swap(col, pivot);
        for row in col + 1..n {
            let factor = m.get(row, col) / m.get(col, col);
            for c in col..n {
                m.set(row, c, m.get(row, c) - factor * m.get(col, c));
            }
            rhs[row] -= factor * rhs[col];
        }
    }
    let mut x = vec![0.0; n];
    for row in (0..n).rev() {
        let tail: f64 = (row + 1..n).map(|c| m.get(row, c) * x[c]).sum();
        x[row] = (rhs[row] - tail) / m.get(row, row);
    }
    Some(x)
}
