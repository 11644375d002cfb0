# Write a function to find the surface area of a sphere.
import math
def surfacearea_sphere(r):
  surfacearea=4*math.pi*r*r
  return surfacearea


# Write a function to find nth centered hexagonal number.
def centered_hexagonal_number(n):
  return 3 * n * (n - 1) + 1


# Write a function to merge three dictionaries into a single expression.
import collections as ct
def merge_dictionaries_three(dict1,dict2, dict3):
    merged_dict = dict(ct.ChainMap({},dict1,dict2,dict3))
    return merged_dict
