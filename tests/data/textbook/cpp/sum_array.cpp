#include <iostream>
#include <vector>
using namespace std;

int sumArray(const vector<int>& v) {
    int total = 0;
    for (size_t i = 0; i < v.size(); i++) {
        total += v[i];
    }
    return total;
}

int findMax(const vector<int>& v) {
    int best = v[0];
    for (int x : v) {
        if (x > best) best = x;
    }
    return best;
}

int main() {
    vector<int> v = {3, 9, 2, 7, 4};
    cout << "sum = " << sumArray(v) << ", max = " << findMax(v) << endl;
    return 0;
}
