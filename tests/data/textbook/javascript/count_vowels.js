function countVowels(text) {
  const vowels = "aeiouAEIOU";
  let count = 0;
  for (const ch of text) {
    if (vowels.includes(ch)) count++;
  }
  return count;
}

function capitalizeWords(text) {
  return text
    .split(" ")
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(" ");
}

console.log(countVowels("Hello World"), capitalizeWords("hello world"));
