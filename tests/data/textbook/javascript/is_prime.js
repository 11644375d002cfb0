function isPrime(n) {
  if (n < 2) return false;
  for (let i = 2; i * i <= n; i++) {
    if (n % i === 0) return false;
  }
  return true;
}

const primes = [];
for (let k = 0; k < 50; k++) {
  if (isPrime(k)) primes.push(k);
}
console.log(primes.join(", "));
