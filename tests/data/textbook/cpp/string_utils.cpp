#include <iostream>
#include <string>
#include <cctype>
using namespace std;

string reverseString(string s) {
    int i = 0, j = s.length() - 1;
    while (i < j) {
        swap(s[i], s[j]);
        i++;
        j--;
    }
    return s;
}

int countVowels(const string& s) {
    int count = 0;
    for (char c : s) {
        char l = tolower(c);
        if (l == 'a' || l == 'e' || l == 'i' || l == 'o' || l == 'u') count++;
    }
    return count;
}

int main() {
    string s = "Programming";
    cout << reverseString(s) << " " << countVowels(s) << endl;
    return 0;
}
