#include <iostream>
#include <vector>
using namespace std;

vector<vector<int>> transpose(const vector<vector<int>>& m) {
    int rows = m.size(), cols = m[0].size();
    vector<vector<int>> t(cols, vector<int>(rows));
    for (int i = 0; i < rows; i++)
        for (int j = 0; j < cols; j++)
            t[j][i] = m[i][j];
    return t;
}

int main() {
    vector<vector<int>> m = {{1, 2, 3}, {4, 5, 6}};
    for (const auto& row : transpose(m)) {
        for (int x : row) cout << x << " ";
        cout << "\n";
    }
    return 0;
}
