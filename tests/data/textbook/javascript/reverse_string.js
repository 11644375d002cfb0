function reverseString(str) {
  let out = "";
  for (let i = str.length - 1; i >= 0; i--) {
    out += str[i];
  }
  return out;
}

function reverseWords(sentence) {
  return sentence.split(" ").reverse().join(" ");
}

console.log(reverseString("hello"), reverseWords("the quick brown fox"));
