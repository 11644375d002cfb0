#include <iostream>
#include <vector>
#include <stdexcept>
using namespace std;

class MinHeap {
    vector<int> heap;

    void siftUp(int i) {
        while (i > 0 && heap[(i - 1) / 2] > heap[i]) {
            swap(heap[i], heap[(i - 1) / 2]);
            i = (i - 1) / 2;
        }
    }

    void siftDown(int i) {
        int n = heap.size();
        while (true) {
            int smallest = i, l = 2 * i + 1, r = 2 * i + 2;
            if (l < n && heap[l] < heap[smallest]) smallest = l;
            if (r < n && heap[r] < heap[smallest]) smallest = r;
            if (smallest == i) break;
            swap(heap[i], heap[smallest]);
            i = smallest;
        }
    }

public:
    void push(int x) {
        heap.push_back(x);
        siftUp(heap.size() - 1);
    }

    int pop() {
        if (heap.empty()) throw runtime_error("heap is empty");
        int top = heap[0];
        heap[0] = heap.back();
        heap.pop_back();
        if (!heap.empty()) siftDown(0);
        return top;
    }

    bool empty() const { return heap.empty(); }
};

int main() {
    MinHeap h;
    for (int x : {5, 3, 8, 1, 9, 2}) h.push(x);
    while (!h.empty()) cout << h.pop() << " ";
    cout << endl;
    return 0;
}
