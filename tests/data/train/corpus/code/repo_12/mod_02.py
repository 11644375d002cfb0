# Write a function to convert a list of multiple integers into a single integer.
def multiple_to_single(L):
  x = int("".join(map(str, L)))
  return x


# Write a function to find all adverbs and their positions in a given sentence.
import re
def find_adverb_position(text):
 for m in re.finditer(r"\w+ly", text):
    return (m.start(), m.end(), m.group(0))


# Write a function to find the surface area of a cube.
def surfacearea_cube(l):
  surfacearea= 6*l*l
  return surfacearea
