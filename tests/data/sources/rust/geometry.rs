//! Points, polygons and a few classic computational-geometry routines.

use std::ops::{Add, Sub};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

impl Point {
    pub fn new(x: f64, y: f64) -> Self {
        Point { x, y }
    }

    /// Euclidean distance to another point.
    pub fn distance(&self, other: &Point) -> f64 {
        ((self.x - other.x).powi(2) + (self.y - other.y).powi(2)).sqrt()
    }
}

impl Add for Point {
    type Output = Point;
    fn add(self, other: Point) -> Point {
        Point::new(self.x + other.x, self.y + other.y)
    }
}

impl Sub for Point {
    type Output = Point;
    fn sub(self, other: Point) -> Point {
        Point::new(self.x - other.x, self.y - other.y)
    }
}

/// Z component of the cross product of (b - a) and (c - a): positive for a left turn.
pub fn cross(a: Point, b: Point, c: Point) -> f64 {
    let (u, v) = (b - a, c - a);
    u.x * v.y - u.y * v.x
}

/// Area of a simple polygon by the shoelace formula (vertices in order, either direction).
pub fn polygon_area(vertices: &[Point]) -> f64 {
    let n = vertices.len();
    if n < 3 {
        return 0.0;
    }
    let twice: f64 = (0..n)
        .map(|i| {
            let (p, q) = (vertices[i], vertices[(i + 1) % n]);
            p.x * q.y - q.x * p.y
        })
        .sum();
    twice.abs() / 2.0
}

/// Convex hull by Andrew's monotone chain, counter-clockwise, without collinear points.
pub fn convex_hull(points: &[Point]) -> Vec<Point> {
    let mut pts: Vec<Point> = points.to_vec();
    pts.sort_by(|a, b| a.x.partial_cmp(&b.x).unwrap().then(a.y.partial_cmp(&b.y).unwrap()));
    if pts.len() < 3 {
        return pts;
    }
    let mut hull: Vec<Point> = Vec::with_capacity(pts.len() * 2);
    for pass in 0..2 {
        let start = hull.len();
        let iter: Box<dyn Iterator<Item = &Point>> =
            if pass == 0 { Box::new(pts.iter()) } else { Box::new(pts.iter().rev()) };
        for &p in iter {
            while hull.len() >= start + 2 && cross(hull[hull.len() - 2], hull[hull.len() - 1], p) <= 0.0 {
                hull.pop();
            }
            hull.push(p);
        }
        hull.pop();
    }
    hull
}

/// Perimeter of a closed polygon.
pub fn perimeter(vertices: &[Point]) -> f64 {
    let n = vertices.len();
    (0..n).map(|i| vertices[i].distance(&vertices[(i + 1) % n])).sum()
}
