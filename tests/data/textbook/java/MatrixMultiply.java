public class MatrixMultiply {
    static int[][] multiply(int[][] a, int[][] b) {
        int rows = a.length, cols = b[0].length, inner = b.length;
        int[][] c = new int[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                for (int k = 0; k < inner; k++) {
                    c[i][j] += a[i][k] * b[k][j];
                }
            }
        }
        return c;
    }

    public static void main(String[] args) {
        int[][] a = {{1, 2}, {3, 4}};
        int[][] b = {{5, 6}, {7, 8}};
        int[][] c = multiply(a, b);
        System.out.println(c[0][0] + " " + c[0][1] + " " + c[1][0] + " " + c[1][1]);
    }
}
