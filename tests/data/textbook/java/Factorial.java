public class Factorial {
    static long factorial(int n) {
        long result = 1;
        for (int i = 2; i <= n; i++) {
            result *= i;
        }
        return result;
    }

    static long factorialRecursive(int n) {
        return n <= 1 ? 1 : n * factorialRecursive(n - 1);
    }

    public static void main(String[] args) {
        System.out.println(factorial(10) + " " + factorialRecursive(10));
    }
}
